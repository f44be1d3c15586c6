package io.pep.bench;

import io.pep.PepMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 10 item 6 in numbers: N clients provision against a gateway that accepts and never
 * answers, while one client reads {@code /v3/enrollment-id} M times; prints how the slow requests
 * were answered and the reads' latency. Defaults as shipped (40 provisioning threads, 8 tool slots,
 * 40 worker threads), pep in-process, injector read timeout 15 s. Not a test: run
 * {@code bench/slow-gateways.sh [--slow=60] [--reads=50]}.
 */
public final class SlowGatewayBench {

    public static void main(String... args) throws Exception {
        int slow = intArg(args, "--slow=", 60);
        int reads = intArg(args, "--reads=", 50);
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket gateway = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!gateway.isClosed()) {
                    try {
                        held.add(gateway.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-gateway");
            acceptor.setDaemon(true);
            acceptor.start();
            PepMain pep = PepMain.start(Map.of("pep.tool.mode", "in-process", "pep.inject.read-timeout", "15000",
                    "pep.tool.queue-wait", "10000"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try {
                List<CompletableFuture<HttpResponse<String>>> slowRequests = new ArrayList<>();
                for (int i = 0; i < slow; i++) {
                    slowRequests.add(http.sendAsync(request(pep.port(), "/v3/identity?serialNumber=BENCH-SLOW-" + i
                            + "-" + System.nanoTime() + "&ip=127.0.0.1&port=" + gateway.getLocalPort()),
                            HttpResponse.BodyHandlers.ofString()));
                }
                long deadline = System.currentTimeMillis() + 10_000;
                while (held.size() < Math.min(slow, 8) && System.currentTimeMillis() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                long[] latencies = new long[reads];
                int readErrors = 0;
                for (int i = 0; i < reads; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> read = http.send(request(pep.port(), "/v3/enrollment-id?serialNumber=NOBODY"),
                            HttpResponse.BodyHandlers.ofString());
                    latencies[i] = System.nanoTime() - start;
                    readErrors += read.statusCode() == 404 ? 0 : 1;
                }
                long atOnce503 = slowRequests.stream().filter(CompletableFuture::isDone)
                        .filter(f -> f.join().statusCode() == 503).count();
                long stillWaiting = slowRequests.stream().filter(f -> !f.isDone()).count();
                Arrays.sort(latencies);
                System.err.printf("%n| slow clients | gateway sessions | 503 at once | still waiting after reads | reads | read p50 ms | read p95 ms | read max ms | read errors |%n");
                System.err.printf("|---|---|---|---|---|---|---|---|---|%n");
                System.err.printf("| %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d |%n", slow, held.size(), atOnce503,
                        stillWaiting, reads, ms(latencies[reads / 2]), ms(latencies[(int) (reads * 0.95)]),
                        ms(latencies[reads - 1]), readErrors);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
                pep.stop();
            }
        }
        System.exit(0);
    }

    private static HttpRequest request(int port, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET().build();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static int intArg(String[] args, String prefix, int fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith(prefix)).findFirst()
                .map(a -> Integer.parseInt(a.substring(prefix.length()))).orElse(fallback);
    }
}
