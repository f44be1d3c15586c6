package io.pep.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import io.pep.PepMain;
import io.pep.store.EmbeddedMongo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attempt log's time windows on the default (embedded) store read the window, not the log: the
 * dashboard summary and {@code GET /v3/attempts?since=} with 3,000 old attempts and a few recent ones
 * read about as many documents as the window holds (the store counts what its queries read).
 */
class AttemptWindowShapeTest {

    private static final String ADMIN = "window-shape-admin";
    private static final int OLD = 3000;
    private static final int RECENT = 12;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static PepMain pep;
    private static EmbeddedMongo store;

    @BeforeAll
    static void startWithAttempts() throws Exception {
        pep = PepMain.start(Map.of("pep.auth.admin-tokens", ADMIN));
        pep.stopScheduledRoutes(); // the counts below are the requests' alone
        store = pep.main().getCamelContext().getRegistry().lookupByNameAndType("embeddedMongo", EmbeddedMongo.class);
        MongoCollection<Document> attempts = pep.collection("provisioning_attempts");
        long now = System.currentTimeMillis();
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < OLD; i++) {
            batch.add(attempt("OLD-" + i, now - 3 * 86_400_000L + i * 1000L, i % 2 == 0));
        }
        for (int i = 0; i < RECENT; i++) {
            batch.add(attempt("NEW-" + i, now - 5 * 60_000L + i * 1000L, i % 3 != 0));
        }
        attempts.insertMany(batch);
    }

    private static Document attempt(String serial, long time, boolean ok) {
        Document attempt = new Document("time", new Date(time)).append("serialNumber", serial).append("ip", "127.0.0.1")
                .append("port", "7777").append("outcome", ok ? "ok" : AttemptOutcome.CONFLICT).append("status", ok ? 200 : 409)
                .append("durationMs", 5L).append("instance", "test");
        if (!ok) {
            attempt.append("reason", "Gateway " + serial + " is already provisioned");
        }
        return attempt;
    }

    @AfterAll
    static void stop() {
        pep.stop();
    }

    @Test
    void dashboardSummaryReadsTheWindowOnly() throws Exception {
        long before = examined();
        HttpResponse<String> summary = get("/dashboard/api/summary?window=1h");
        long read = examined() - before;
        assertEquals(200, summary.statusCode(), summary.body());
        JsonNode body = JSON.readTree(summary.body());
        assertEquals(RECENT, body.at("/lastHour/total").asInt());
        assertEquals(RECENT / 3, body.at("/failuresTotal").asInt());
        // the last hour once, its failures once: twice the window at most, not the 3,012 attempts
        assertTrue(read <= 2 * RECENT, "the summary read " + read + " attempts of " + (OLD + RECENT));
    }

    @Test
    void attemptsSinceReadTheWindowOnly() throws Exception {
        String since = Instant.ofEpochMilli(System.currentTimeMillis() - 3_600_000L).toString();
        long before = examined();
        HttpResponse<String> page = get("/v3/attempts?since=" + since + "&limit=50");
        long read = examined() - before;
        assertEquals(200, page.statusCode(), page.body());
        assertEquals(RECENT, JSON.readTree(page.body()).at("/results").size(), page.body());
        // camel-mongodb's findAll also counts the matches (its total-size header): the window twice
        assertTrue(read <= 2 * RECENT, "a window of " + RECENT + " read " + read + " attempts of " + (OLD + RECENT));

        before = examined();
        page = get("/v3/attempts?since=" + since + "&outcome=conflict&serialNumber=NEW-3");
        assertEquals(1, JSON.readTree(page.body()).at("/results").size(), page.body());
        assertTrue(examined() - before <= 2 * RECENT, "filters within the window read " + (examined() - before));
    }

    private static long examined() {
        return store.documentsExamined("mbed_manufacturing_db", "provisioning_attempts");
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path))
                    .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
