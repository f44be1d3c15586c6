package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Two pep instances on one store (as behind a load balancer). Gateways are provisioned through both
 * alternately, each serial also requested at the same moment through the other instance: exactly
 * one 200 per serial, no duplicate record, and both list the same records over several pages.
 */
class TwoPepsOneStoreTest {

    private static final int GATEWAYS = 300;
    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twoInstancesProvisionEachSerialOnceAndListTheSame() throws Exception {
        try (EmbeddedMongo store = EmbeddedMongo.start(Files.createTempDirectory("pep-shared"), 0)) {
            Map<String, String> settings = new HashMap<>();
            settings.put("mongo.uri", store.connectionString() + "/mbed_manufacturing_db");
            settings.put("pep.tool.executable", FAKE_TOOL.toString());
            settings.put("pep.tool.queue-wait", "60000");
            PepMain a = PepMain.start(settings);
            PepMain b = PepMain.start(settings);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<CompletableFuture<int[]>> attempts = new ArrayList<>();
                for (int i = 0; i < GATEWAYS; i++) {
                    String serial = "DUO-" + i;
                    PepMain first = i % 2 == 0 ? a : b;
                    PepMain second = i % 2 == 0 ? b : a;
                    attempts.add(CompletableFuture.supplyAsync(() -> {
                        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> provision(first, serial));
                        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> provision(second, serial));
                        return new int[] {one.join(), other.join()};
                    }, clients));
                }
                int ok = 0;
                for (int i = 0; i < GATEWAYS; i++) {
                    int[] statuses = attempts.get(i).join();
                    int successes = (statuses[0] == 200 ? 1 : 0) + (statuses[1] == 200 ? 1 : 0);
                    int conflicts = (statuses[0] == 409 ? 1 : 0) + (statuses[1] == 409 ? 1 : 0);
                    assertEquals(1, successes, "DUO-" + i + ": exactly one 200, got " + statuses[0] + "/" + statuses[1]);
                    assertEquals(1, conflicts, "DUO-" + i + ": the other request gets 409");
                    ok += successes;
                }
                assertEquals(GATEWAYS, ok);

                List<String> listedByA = walkAllPages(a);
                List<String> listedByB = walkAllPages(b);
                assertEquals(GATEWAYS, listedByA.size(), "no duplicate record, none missing");
                assertEquals(GATEWAYS, new HashSet<>(listedByA).size());
                assertEquals(listedByA, listedByB, "both instances list the same records in the same order");
                for (int i = 0; i < GATEWAYS; i += 29) {
                    assertEquals(200, get(i % 2 == 0 ? b : a, "/v3/enrollment-id?serialNumber=DUO-" + i).statusCode(),
                            "provisioned on one, found on the other");
                }
            } finally {
                clients.shutdownNow();
                a.stop();
                b.stop();
            }
        }
    }

    private int provision(PepMain pep, String serial) {
        return get(pep, "/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777").statusCode();
    }

    private List<String> walkAllPages(PepMain pep) throws Exception {
        List<String> serials = new ArrayList<>();
        Set<String> seenPages = new HashSet<>();
        String next = "/v3/enrollment-ids?limit=100";
        while (next != null && seenPages.add(next)) {
            JsonNode page = JSON.readTree(get(pep, next).body());
            page.get("results").forEach(record -> serials.add(record.get("serialNumber").asText()));
            JsonNode link = page.at("/_links/next/href");
            next = page.get("results").isEmpty() || link.isMissingNode() ? null : link.asText();
        }
        assertTrue(seenPages.size() >= GATEWAYS / 100, "walked the pages");
        return serials;
    }

    private HttpResponse<String> get(PepMain pep, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path))
                    .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
