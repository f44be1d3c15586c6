package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A retirement and a provisioning of the same serial never both act on it: 100 serials, each sent a
 * retirement and a provisioning at the same moment, twice over, over loopback HTTP. Whatever the
 * interleaving, each serial's history holds exactly one entry per identity ever answered 200, one
 * retired entry per retirement answered 200, and at most one current identity.
 */
class RetireRaceTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERIALS = 100;
    /** Pairs in flight at once: below the provisioning lane and worker threads, so nothing is refused as busy. */
    private static final int PAIRS_AT_ONCE = 12;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.max-concurrent", String.valueOf(PAIRS_AT_ONCE));
        properties.setProperty("pep.tool.queue-wait", "120000");
    }

    @Test
    void concurrentRetireAndProvisionPairsLeaveAConsistentHistory() throws Exception {
        Map<String, Integer> provisioned = new HashMap<>();
        Map<String, Integer> retired = new HashMap<>();
        for (int n = 0; n < SERIALS; n++) {
            String serial = "rework-race-" + n;
            assertEquals(200, provision(serial).join().statusCode());
            provisioned.merge(serial, 1, Integer::sum);
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            Semaphore pairs = new Semaphore(PAIRS_AT_ONCE);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int n = 0; n < SERIALS; n++) {
                String serial = "rework-race-" + n;
                pairs.acquire();
                CompletableFuture<HttpResponse<String>> retire = retire(serial);
                CompletableFuture<HttpResponse<String>> provision = provision(serial);
                all.add(retire.thenCombine(provision, (r, p) -> {
                    synchronized (statuses) {
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        statuses.merge(p.statusCode() * 10, 1, Integer::sum);
                        if (r.statusCode() == 200) {
                            retired.merge(serial, 1, Integer::sum);
                        }
                        if (p.statusCode() == 200) {
                            provisioned.merge(serial, 1, Integer::sum);
                        }
                    }
                    assertTrue(Set.of(200, 404, 409).contains(r.statusCode()), serial + " retire: " + r.body());
                    assertTrue(Set.of(200, 409).contains(p.statusCode()), serial + " provision: " + p.body());
                    return (Void) null;
                }).whenComplete((v, e) -> pairs.release()));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        }
        for (int n = 0; n < SERIALS; n++) {
            String serial = "rework-race-" + n;
            JsonNode identities = JSON.readTree(get("/v3/identities/history?serialNumber=" + serial).body()).path("identities");
            int retiredEntries = 0;
            int current = 0;
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < identities.size(); i++) {
                JsonNode identity = identities.get(i);
                ids.add(identity.path("enrollmentID").asText());
                if ("retired".equals(identity.path("state").asText())) {
                    retiredEntries++;
                    assertEquals(0, current, serial + ": a retired identity after the current one: " + identities);
                } else {
                    current++;
                    assertEquals("deployed", identity.path("state").asText(), identities.toString());
                }
            }
            String why = serial + " provisioned " + provisioned.get(serial) + ", retired " + retired.get(serial) + ": " + identities;
            assertEquals(provisioned.get(serial).intValue(), identities.size(), why);
            assertEquals(retired.getOrDefault(serial, 0).intValue(), retiredEntries, why);
            assertTrue(current <= 1, why);
            assertEquals(identities.size(), ids.size(), "each identity is a new one: " + why);
            assertEquals(current, (int) identities().countDocuments(new org.bson.Document("serialNumber", serial)), why);
        }
        System.out.println("retire/provision race statuses (provision x10): " + statuses);
    }

    private CompletableFuture<HttpResponse<String>> provision(String serial) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                + "/v3/identity?ip=127.0.0.1&port=7777&serialNumber=" + serial)).timeout(Duration.ofMinutes(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> retire(String serial) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                + "/v3/identities/retire?reason=race&serialNumber=" + serial)).timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
