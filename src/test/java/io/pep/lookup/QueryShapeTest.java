package io.pep.lookup;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Listing and lookups on the default (embedded) store read O(page) documents, never the
 * collection. The store counts the documents its queries read; with 3,000 records a scan would
 * read 3,000 per request, a page of 10 must read about 10 and a lookup 1.
 */
class QueryShapeTest {

    private static final int RECORDS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static PepMain pep;
    private static EmbeddedMongo store;

    @BeforeAll
    static void startWithRecords() throws Exception {
        pep = PepMain.start(Map.of());
        pep.stopScheduledRoutes(); // the counts below are the requests' alone
        store = pep.main().getCamelContext().getRegistry().lookupByNameAndType("embeddedMongo", EmbeddedMongo.class);
        MongoCollection<Document> records = pep.collection("edge_identities");
        List<Document> batch = new ArrayList<>();
        for (int i = 1; i <= RECORDS; i++) {
            // every 100th a reservation in flight: listing skips it without reading more than a page
            batch.add(new Document("serialNumber", "SHAPE-" + i).append("deployed", i % 100 != 0)
                    .append("enrollmentID", "A-" + i).append("createdAt", System.currentTimeMillis()));
        }
        records.insertMany(batch);
    }

    @AfterAll
    static void stop() {
        pep.stop();
    }

    @Test
    void pagesReadAboutOnePageWhateverTheirDepth() throws Exception {
        String next = "/v3/enrollment-ids?limit=10";
        for (int page = 0; page < 5; page++) {
            long before = examined();
            JsonNode body = JSON.readTree(get(next).body());
            long read = examined() - before;
            assertEquals(10, body.get("results").size());
            assertTrue(read <= 11, "page " + page + " read " + read + " documents of " + RECORDS);
            next = body.at("/_links/next/href").asText();
        }
        long before = examined();
        JsonNode ascending = JSON.readTree(get("/v3/enrollment-ids?limit=10&order=ASC&last="
                + JSON.readTree(get("/v3/enrollment-ids?limit=1&order=ASC").body()).at("/results/0/_id").asText()).body());
        assertEquals("SHAPE-2", ascending.at("/results/0/serialNumber").asText());
        assertTrue(examined() - before <= 12, "ascending pages too: " + (examined() - before));
    }

    @Test
    void deepCsvPageReadsOnePage() {
        HttpResponse<String> first = get("/v3/enrollment-ids?limit=1000&format=csv");
        Matcher link = Pattern.compile("<([^>]+)>").matcher(first.headers().firstValue("Link").orElseThrow());
        assertTrue(link.find());
        long before = examined();
        HttpResponse<String> second = get(link.group(1));
        long read = examined() - before;
        assertEquals(200, second.statusCode());
        assertEquals(1001, second.body().lines().count(), "a header and 1000 rows");
        assertTrue(read <= 1011, "the second page read " + read + " documents");
    }

    @Test
    void lookupsReadOneDocument() {
        long before = examined();
        HttpResponse<String> found = get("/v3/enrollment-id?serialNumber=SHAPE-1234");
        assertEquals("A-1234", found.body());
        assertEquals(404, get("/v3/enrollment-id?serialNumber=SHAPE-NONE").statusCode());
        assertEquals(404, get("/v3/verification-key?serialNumber=SHAPE-1235").statusCode());
        assertTrue(examined() - before <= 2, "lookups read " + (examined() - before) + " documents");
    }

    private static long examined() {
        return store.documentsExamined("mbed_manufacturing_db", "edge_identities");
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
