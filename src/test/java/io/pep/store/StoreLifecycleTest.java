package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.pep.PepMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store across restarts and outages, with pep started the way PepApplication starts it. */
class StoreLifecycleTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void recordsSurviveARestartOfTheEmbeddedStore() throws Exception {
        Path dataDir = Files.createTempDirectory("pep-restart");
        PepMain first = start(Map.of("pep.data.dir", dataDir.toString()));
        try {
            assertEquals(200, get(first.port(), "/v3/identity?serialNumber=SN-PERSIST&ip=127.0.0.1&port=7777").statusCode());
        } finally {
            first.stop();
        }
        assertTrue(Files.exists(dataDir.resolve("mongo.mv")), "stored on disk under pep.data.dir");

        PepMain second = start(Map.of("pep.data.dir", dataDir.toString()));
        try {
            assertEquals(200, get(second.port(), "/v3/enrollment-id?serialNumber=SN-PERSIST").statusCode());
            assertEquals(409, get(second.port(), "/v3/identity?serialNumber=SN-PERSIST&ip=127.0.0.1&port=7777").statusCode(),
                    "the unique index is back too");
        } finally {
            second.stop();
        }
    }

    @Test
    void aDownDatabaseAnswers503QuicklyAndPepRecoversWhenItReturns() throws Exception {
        int mongoPort = PepMain.freePort();
        PepMain pep = start(Map.of("pep.data.dir", Files.createTempDirectory("pep-down").toString(),
                "mongo.uri", "mongodb://127.0.0.1:" + mongoPort + "/mbed_manufacturing_db",
                "pep.mongo.timeout-ms", "1000"));
        int port = pep.port();
        try {
            HttpResponse<String> lookup = get(port, "/v3/enrollment-id?serialNumber=SN-1");
            assertEquals(503, lookup.statusCode(), lookup.body());
            assertTrue(lookup.body().contains("database is unavailable"), lookup.body());
            assertTrue(lookup.headers().firstValue("Retry-After").isPresent());
            HttpResponse<String> provision = get(port, "/v3/identity?serialNumber=SN-1&ip=127.0.0.1&port=7777");
            assertEquals(503, provision.statusCode(), provision.body());

            MongoServer mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", mongoPort);
            try {
                HttpResponse<String> recovered = get(port, "/v3/identity?serialNumber=SN-1&ip=127.0.0.1&port=7777");
                assertEquals(200, recovered.statusCode(), recovered.body());
                assertEquals(409, get(port, "/v3/identity?serialNumber=SN-1&ip=127.0.0.1&port=7777").statusCode(),
                        "the unique index was created on first use after the outage");
            } finally {
                mongo.shutdownNow();
            }
        } finally {
            pep.stop();
        }
    }

    private static PepMain start(Map<String, String> properties) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(properties);
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        return PepMain.start(settings);
    }

    private HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
