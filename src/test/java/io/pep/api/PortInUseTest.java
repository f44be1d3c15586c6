package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.ChildJvm;
import io.pep.PepMain;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A port another program holds: {@code io.pep.PepApplication}, started as an operator starts it (a JVM
 * of its own, settings as environment variables), exits non-zero with one line naming the address,
 * the cause and what to do, instead of a bare "Address already in use".
 */
class PortInUseTest {

    @Test
    void aPortInUseStopsTheStartWithALineNamingItAndWhatToDo() throws Exception {
        Path dir = PepMain.tempDir("pep-port-in-use");
        int port = PepMain.freePort();
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("127.0.0.1", port));
            ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of(), "io.pep.PepApplication")).directory(dir.toFile())
                    .redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("PEP_SERVER_HOST", "127.0.0.1");
            env.put("PEP_SERVER_PORT", String.valueOf(port));
            env.put("PEP_DATA_DIR", dir.resolve("data").toString());
            env.put("PEP_ROUTES_RELOAD_ENABLED", "false");
            env.put("PEP_CONFIG_FILE", dir.resolve("no-such.properties").toString());
            Process pep = builder.start();
            try {
                assertTrue(pep.waitFor(180, TimeUnit.SECONDS), "pep exits after a failed start");
            } finally {
                pep.destroyForcibly();
            }
            assertNotEquals(0, pep.exitValue());
            List<String> refusals = Files.readAllLines(dir.resolve("err.log"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("pep did not start")).toList();
            assertEquals(List.of("pep did not start: pep cannot listen on 127.0.0.1:" + port + ": Address already in use"
                    + " (another pep or another program listens there); stop that process, or set PEP_SERVER_PORT"
                    + " (pep.server.port) to a free port."), refusals);
        }
    }
}
