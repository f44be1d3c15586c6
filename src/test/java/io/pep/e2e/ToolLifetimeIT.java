package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import io.pep.injector.PepInject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tool run never outlives the pep that started it, with the real launcher bin/pep-inject on
 * the fat jar and a gateway that never answers: pep-inject ends itself when its parent dies
 * (kill -9, no chance to clean up), and pep stopping ends the pep-inject it started.
 */
class ToolLifetimeIT {

    private static final Path LAUNCHER = ExecProvisioningIT.LAUNCHER;

    @Test
    void pepInjectExitsWhenTheProcessThatStartedItIsKilled() throws Exception {
        Path config = PepMain.tempDir("lifetime-config").resolve("fcu-config");
        try (SilentGateway silent = new SilentGateway()) {
            // bash starts pep-inject in the background, prints its PID and waits: bash is its parent
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", "\"$0\" init-dev-config --config-dir=\"$1\" >/dev/null 2>&1;"
                    + " \"$0\" inject --endpoint-name=gw-orphan --serial-number=gw-orphan tcp --ip=127.0.0.1"
                    + " --port=\"$2\" --config-dir=\"$1\" >/dev/null 2>&1 & echo $!; wait",
                    LAUNCHER.toString(), config.toString(), String.valueOf(silent.port()));
            builder.environment().put("PEP_JAR", ExecProvisioningIT.JAR.toString());
            builder.environment().put("PEP_INJECT_READ_TIMEOUT_MS", "600000");
            builder.redirectErrorStream(true);
            Process parent = builder.start();
            long injectPid = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().strip());
            ProcessHandle inject = ProcessHandle.of(injectPid).orElseThrow();
            silent.awaitConnection();

            parent.destroyForcibly(); // kill -9: the parent cannot pass anything on
            assertTrue(parent.waitFor(10, TimeUnit.SECONDS));

            inject.onExit().completeOnTimeout(inject, 10, TimeUnit.SECONDS).get();
            assertFalse(inject.isAlive(), "pep-inject " + injectPid + " still runs after its parent died");
        }
    }

    @Test
    void stoppingPepEndsThePepInjectItStarted() throws Exception {
        Path dataDir = PepMain.tempDir("lifetime-pep");
        try (SilentGateway silent = new SilentGateway()) {
            PepMain pep = PepMain.start(Map.of(
                    "pep.data.dir", dataDir.toString(),
                    "pep.tool.executable", LAUNCHER.toString(),
                    "pep.tool.env", "PEP_FCU_CONFIG_DIR=" + dataDir.resolve("dev-fcu-config") + ",PEP_JAR="
                            + ExecProvisioningIT.JAR + ",PEP_INJECT_READ_TIMEOUT_MS=600000",
                    "pep.tool.timeout", "600000"));
            List<ProcessHandle> injects;
            CompletableFuture<HttpResponse<String>> request;
            try {
                request = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + pep.port() + "/v3/identity?serialNumber=gw-stop&ip=127.0.0.1&port=" + silent.port())).build(),
                        HttpResponse.BodyHandlers.ofString());
                silent.awaitConnection();
                injects = ProcessHandle.current().descendants().filter(ToolLifetimeIT::isPepInject).toList();
                assertEquals(1, injects.size(), "one pep-inject runs");
            } finally {
                pep.stop();
            }
            for (ProcessHandle inject : injects) {
                inject.onExit().completeOnTimeout(inject, 10, TimeUnit.SECONDS).get();
                assertFalse(inject.isAlive(), "pep-inject " + inject.pid() + " still runs after pep stopped");
            }
            assertEquals(List.of(), ProcessHandle.current().descendants().filter(ToolLifetimeIT::isPepInject)
                    .filter(ProcessHandle::isAlive).toList());
            request.cancel(true);
        }
    }

    private static boolean isPepInject(ProcessHandle handle) {
        Optional<String> commandLine = handle.info().commandLine();
        return commandLine.isPresent() && commandLine.get().contains(PepInject.class.getName());
    }

    /** A gateway that accepts connections, reads whatever comes, and never answers. */
    private static final class SilentGateway implements AutoCloseable {
        private final ServerSocket server;
        private final CountDownLatch connected = new CountDownLatch(1);
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        SilentGateway() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = server.accept();
                        sockets.add(socket);
                        connected.countDown();
                    }
                } catch (IOException closed) {
                    // close() ends the loop
                }
            }, "silent-gateway");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void awaitConnection() throws InterruptedException {
            assertTrue(connected.await(60, TimeUnit.SECONDS), "the tool reached the gateway");
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
