package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Serials reach the gateway byte for byte even when pep is started without a locale (LANG and
 * LC_* unset, as under systemd or in a bare container): started through bin/pep, the serial
 * arrives as its UTF-8 bytes; a JVM that still cannot encode it refuses the serial with 400
 * before anything is written, never 200 with a mangled name. pep runs here as a child process
 * with a stripped environment, the factory tool records the bytes of its arguments.
 */
class LocaleIT {

    static final String SERIAL = "GW-Ünï-✓-08";
    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void throughBinPepWithoutALocaleTheSerialArrivesAsItsUtf8Bytes() throws Exception {
        Path dir = PepMain.tempDir("locale-binpep");
        Path toolLog = dir.resolve("tool.log");
        try (ChildPep pep = ChildPep.start(List.of(Path.of("bin/pep").toAbsolutePath().toString()), dir,
                Map.of("PEP_TOOL_EXECUTABLE", FAKE_TOOL.toString(), "PEP_TOOL_ENV", "FAKE_TOOL_LOG=" + toolLog))) {
            HttpResponse<String> response = provision(pep, SERIAL);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"serialNumber\":\"" + SERIAL + "\""), response.body());
        }
        assertContains(Files.readAllBytes(toolLog), ("ARG=--serial-number=" + SERIAL + "\n").getBytes(StandardCharsets.UTF_8));
        assertContains(Files.readAllBytes(toolLog), ("ARG=--endpoint-name=" + SERIAL + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void throughBinPepAndPepInjectWithoutALocaleTheGatewayStoresTheSerialsUtf8Bytes() throws Exception {
        Path dir = PepMain.tempDir("locale-inject");
        Path store = PepMain.tempDir("locale-fcc");
        try (FccSimulator gateway = new FccSimulator(SimulatorSettings.loopback(store)).start();
             ChildPep pep = ChildPep.start(List.of(Path.of("bin/pep").toAbsolutePath().toString()), dir,
                     Map.of("PEP_TOOL_EXECUTABLE", ExecProvisioningIT.LAUNCHER.toString(),
                             "PEP_TOOL_ENV", "PEP_FCU_CONFIG_DIR=" + dir.resolve("data/dev-fcu-config") + ",PEP_JAR="
                                     + ExecProvisioningIT.JAR))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pep.url("/v3/identity?serialNumber="
                    + URLEncoder.encode(SERIAL, StandardCharsets.UTF_8) + "&ip=127.0.0.1&port=" + gateway.port())))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        }
        assertArrayEquals(SERIAL.getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(store.resolve("pal/WORKING/mbed.EndpointName")));
        assertArrayEquals(SERIAL.getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(store.resolve("pal/WORKING/mbed.SerialNumber")));
    }

    @Test
    void aJvmThatCannotEncodeTheSerialRefusesItWith400AndWritesNothing() throws Exception {
        Path dir = PepMain.tempDir("locale-plainjava");
        Path toolLog = dir.resolve("tool.log");
        // plain java without a locale and without -Dfile.encoding: arguments are encoded as ASCII
        try (ChildPep pep = ChildPep.start(List.of("java", "-jar", ExecProvisioningIT.JAR.toString()), dir,
                Map.of("PEP_TOOL_EXECUTABLE", FAKE_TOOL.toString(), "PEP_TOOL_ENV", "FAKE_TOOL_LOG=" + toolLog))) {
            HttpResponse<String> refused = provision(pep, SERIAL);
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().startsWith("Invalid request: parameter 'serialNumber' ('" + SERIAL + "') is refused:"),
                    refused.body());
            assertTrue(refused.body().contains("UTF-8 locale"), refused.body());
            assertFalse(Files.exists(toolLog) && Files.readString(toolLog).contains("GW-"), "the tool never ran");
            HttpResponse<String> lookup = http.send(HttpRequest.newBuilder(URI.create(pep.url("/v3/enrollment-id?serialNumber="
                    + URLEncoder.encode(SERIAL, StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, lookup.statusCode(), "nothing was recorded");

            assertEquals(200, provision(pep, "GW-ASCII-08").statusCode(), "ASCII serials still work");
            assertTrue(pep.log().contains("pep runs without a UTF-8 locale"), "the start-up log says so");
        }
    }

    private HttpResponse<String> provision(ChildPep pep, String serial) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(pep.url("/v3/identity?serialNumber="
                + URLEncoder.encode(serial, StandardCharsets.UTF_8) + "&ip=127.0.0.1&port=7777")))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertContains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return;
        }
        throw new AssertionError("bytes " + new String(needle, StandardCharsets.UTF_8) + " not found in "
                + new String(haystack, StandardCharsets.UTF_8));
    }

    /** pep as a child process, started with no LANG / LC_* in its environment. */
    static final class ChildPep implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path log;

        private ChildPep(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static ChildPep start(List<String> command, Path dir, Map<String, String> settings) throws Exception {
            int port = PepMain.freePort();
            List<String> full = new ArrayList<>(command);
            ProcessBuilder builder = new ProcessBuilder(full).directory(Path.of("").toAbsolutePath().toFile());
            builder.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_")
                    || name.equals("JAVA_TOOL_OPTIONS") || name.equals("PEP_JAVA_OPTS"));
            builder.environment().put("PEP_JAR", ExecProvisioningIT.JAR.toString());
            builder.environment().put("PEP_SERVER_HOST", "127.0.0.1");
            builder.environment().put("PEP_SERVER_PORT", String.valueOf(port));
            builder.environment().put("PEP_DATA_DIR", dir.resolve("data").toString());
            builder.environment().put("PEP_ROUTES_DIR", dir.resolve("routes").toString());
            builder.environment().put("PEP_ROUTES_RELOAD_ENABLED", "false");
            builder.environment().putAll(settings);
            Files.createDirectories(dir.resolve("routes"));
            Path log = dir.resolve("pep.log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            ChildPep pep = new ChildPep(builder.start(), port, log);
            pep.awaitReady();
            return pep;
        }

        String log() throws IOException {
            return Files.readString(log);
        }

        String url(String pathAndQuery) {
            return "http://127.0.0.1:" + port + pathAndQuery;
        }

        private void awaitReady() {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            io.pep.Eventually.await("pep answers (see " + log + ")", io.pep.Eventually.START, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("pep did not start: " + Files.readString(log));
                }
                return client.send(HttpRequest.newBuilder(URI.create(url("/v3/enrollment-ids?limit=1")))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
