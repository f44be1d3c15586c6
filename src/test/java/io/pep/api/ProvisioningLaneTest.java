package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Slow gateways do not starve everyone: with every provisioning thread waiting on a gateway that
 * accepts and never answers, reads are still answered (on their own threads), and one more
 * provisioning request is turned away at once instead of queueing behind them.
 */
class ProvisioningLaneTest extends PepTestSupport {

    private static final int PROVISIONING_THREADS = 4;

    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private ServerSocket silentGateway;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.mode", "in-process");
        properties.setProperty("pep.inject.connect-timeout", "2000");
        properties.setProperty("pep.inject.read-timeout", "25000");
        properties.setProperty("pep.tool.max-concurrent", "2");
        properties.setProperty("pep.tool.queue-wait", "25000");
        properties.setProperty("pep.server.worker-threads", "2");
        properties.setProperty("pep.server.provisioning-threads", String.valueOf(PROVISIONING_THREADS));
    }

    @Test
    void readsAreAnsweredWhileEveryProvisioningThreadWaitsOnASilentGateway() throws Exception {
        silentGateway = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silentGateway.isClosed()) {
                try {
                    held.add(silentGateway.accept()); // accepts, never answers
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-gateway");
        acceptor.setDaemon(true);
        acceptor.start();

        List<CompletableFuture<HttpResponse<String>>> provisioning = new ArrayList<>();
        for (int i = 0; i < PROVISIONING_THREADS + 2; i++) {
            String target = "/v3/identity?serialNumber=SLOW-" + i + "&ip=127.0.0.1&port=" + silentGateway.getLocalPort();
            provisioning.add(CompletableFuture.supplyAsync(() -> get(target)));
        }
        // two tool slots talk to the gateway, two requests wait for a slot, two more were turned away
        io.pep.Eventually.await("two tool runs reach the gateway and two requests are turned away",
                () -> held.size() >= 2 && provisioning.stream().filter(CompletableFuture::isDone).count() >= 2);
        List<HttpResponse<String>> turnedAway = provisioning.stream().filter(CompletableFuture::isDone)
                .map(CompletableFuture::join).toList();
        assertEquals(2, turnedAway.size(), "requests over the provisioning threads are answered at once");
        for (HttpResponse<String> busy : turnedAway) {
            assertEquals(503, busy.statusCode(), busy.body());
            assertTrue(busy.headers().firstValue("Retry-After").isPresent());
            assertTrue(busy.body().contains("busy"), busy.body());
        }

        HttpResponse<String> read = get("/v3/enrollment-id?serialNumber=NOBODY");
        HttpResponse<String> list = get("/v3/enrollment-ids?limit=1");

        assertEquals(404, read.statusCode(), read.body());
        assertEquals(200, list.statusCode(), list.body());
        assertEquals(PROVISIONING_THREADS, provisioning.stream().filter(f -> !f.isDone()).count(),
                "the reads were answered while every provisioning request still waited");
    }

    @AfterAll
    void closeTheSilentGateway() throws IOException {
        if (silentGateway != null) {
            silentGateway.close();
        }
        for (Socket socket : held) {
            socket.close();
        }
    }
}
