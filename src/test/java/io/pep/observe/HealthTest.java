package io.pep.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.pep.Eventually;
import io.pep.LogCapture;
import io.pep.PepMain;
import io.pep.provisioning.HeartbeatLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness and readiness over real HTTP, with a store this test stops and starts again. */
class HealthTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readinessFollowsTheStoreWhileLivenessStaysUp() throws Exception {
        int mongoPort = PepMain.freePort();
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", mongoPort);
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        settings.put("mongo.uri", "mongodb://127.0.0.1:" + mongoPort + "/mbed_manufacturing_db");
        settings.put("pep.mongo.timeout-ms", "1000");
        settings.put("pep.health.store-timeout", "500");
        settings.put("pep.instance.heartbeat-interval", "200");
        PepMain pep = PepMain.start(settings);
        HeartbeatLog heartbeats = pep.main().getCamelContext().getRegistry().lookupByNameAndType("heartbeatLog", HeartbeatLog.class);
        try (LogCapture log = LogCapture.start("heartbeat-capture")) {
            HttpResponse<String> ready = get(pep, "/observe/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode report = JSON.readTree(ready.body());
            assertEquals("UP", report.path("status").asText());
            assertEquals("UP", check(report, "store").path("status").asText(), ready.body());
            assertEquals("UP", check(report, "factory-tool").path("status").asText(), ready.body());
            assertTrue(check(report, "export-targets").path("advisory").asBoolean(), ready.body());
            assertEquals("application/json; charset=utf-8", ready.headers().firstValue("Content-Type").orElse(""));
            assertEquals("no-store", ready.headers().firstValue("Cache-Control").orElse(""), "a proxy must not keep a health answer");
            assertTrue(ready.body().startsWith("{\"status\":\"UP\",\"checks\":[{\"name\":"), ready.body());

            mongo.shutdownNow();
            HttpResponse<String> down = awaitStatus(pep, "/observe/health/ready", 503);
            JsonNode downReport = JSON.readTree(down.body());
            assertEquals("DOWN", downReport.path("status").asText());
            assertEquals("DOWN", check(downReport, "store").path("status").asText(), down.body());
            assertTrue(check(downReport, "store").path("message").asText().contains("ping"), down.body());
            assertEquals("UP", check(downReport, "factory-tool").path("status").asText(), "only the store is down");
            HttpResponse<String> live = get(pep, "/observe/health/live");
            assertEquals(200, live.statusCode(), "a down store is no reason to restart pep");
            assertEquals("application/json; charset=utf-8", live.headers().firstValue("Content-Type").orElse(""));
            assertEquals("UP", JSON.readTree(live.body()).path("status").asText(), live.body());
            assertEquals("application/json; charset=utf-8", down.headers().firstValue("Content-Type").orElse(""));
            Eventually.await("several heartbeats fail while the store is down", () -> heartbeats.failuresInARow() >= 3);
            assertEquals(1, log.matching("Instance heartbeat / journal replay failed").size(),
                    "an outage is one WARN, not one per heartbeat: " + log.lines());

            mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", mongoPort);
            awaitStatus(pep, "/observe/health/ready", 200);
            Eventually.await("the heartbeat says once that it works again",
                    () -> log.matching("Instance heartbeat / journal replay works again").size() == 1);
            assertEquals(1, log.matching("Instance heartbeat / journal replay failed").size(), log.lines().toString());
            assertEquals(200, get(pep, "/v3/identity?serialNumber=HEALTH-1&ip=127.0.0.1&port=7777").statusCode());
        } finally {
            pep.stop();
            mongo.shutdownNow();
        }
    }

    @Test
    void aMissingFactoryToolOrAnUnwritableDropFolderAreReported() throws Exception {
        Path data = Files.createTempDirectory("pep-health");
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.data.dir", data.toString());
        settings.put("pep.tool.executable", data.resolve("no-such-tool").toString());
        settings.put("pep.export.csv.enabled", "true");
        settings.put("pep.export.csv.dir", data.resolve("no-such-share").toString());
        PepMain pep = PepMain.start(settings);
        try {
            HttpResponse<String> ready = get(pep, "/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode report = JSON.readTree(ready.body());
            assertEquals("DOWN", check(report, "factory-tool").path("status").asText());
            assertTrue(check(report, "factory-tool").path("message").asText().contains("no-such-tool"), ready.body());
            JsonNode exports = check(report, "export-targets");
            assertEquals("DOWN", exports.path("status").asText(), ready.body());
            assertTrue(exports.path("message").asText().contains("no-such-share"), ready.body());
            assertEquals(200, get(pep, "/observe/health/live").statusCode());
        } finally {
            pep.stop();
        }
    }

    @Test
    void anUnwritableDropFolderAloneLeavesPepReady() throws Exception {
        Path data = Files.createTempDirectory("pep-health");
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.data.dir", data.toString());
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        settings.put("pep.export.csv.enabled", "true");
        settings.put("pep.export.csv.dir", data.resolve("no-such-share").toString());
        PepMain pep = PepMain.start(settings);
        try {
            HttpResponse<String> ready = get(pep, "/observe/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("DOWN", check(JSON.readTree(ready.body()), "export-targets").path("status").asText(), ready.body());
        } finally {
            pep.stop();
        }
    }

    @Test
    void aStoppedRouteMakesPepUnreadyAndIsNamed() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        PepMain pep = PepMain.start(settings);
        try {
            JsonNode up = JSON.readTree(get(pep, "/observe/health/ready").body());
            assertEquals("UP", check(up, "routes").path("status").asText(), up.toString());
            assertTrue(check(up, "routes").at("/details/count").asInt() > 10, up.toString());
            pep.main().getCamelContext().getRouteController().stopRoute("sweep-stale-reservations");
            HttpResponse<String> ready = get(pep, "/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode routes = check(JSON.readTree(ready.body()), "routes");
            assertEquals("DOWN", routes.path("status").asText());
            assertTrue(routes.path("message").asText().contains("sweep-stale-reservations"), ready.body());
            pep.main().getCamelContext().getRouteController().startRoute("sweep-stale-reservations");
            assertEquals(200, get(pep, "/observe/health/ready").statusCode());
        } finally {
            pep.stop();
        }
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode check : report.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    private HttpResponse<String> awaitStatus(PepMain pep, String path, int status) {
        return io.pep.Eventually.await(path + " answers " + status, () -> get(pep, path),
                response -> response.statusCode() == status);
    }

    private HttpResponse<String> get(PepMain pep, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
