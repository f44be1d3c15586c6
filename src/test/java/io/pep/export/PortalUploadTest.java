package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import io.pep.LogCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /v3/exports/upload against the fake portal: happy path, duplicates, per-id errors, split files, faults. */
class PortalUploadTest {

    @TempDir
    static Path dir;
    static StoreFixture store;
    static FakePortal portal;
    static PepInstance pep;
    static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        log = LogCapture.start("portal-upload");
        store = new StoreFixture(dir.resolve("mongo"));
        portal = new FakePortal(ExportFixtures.API_KEY);
        Map<String, String> settings = PepInstance.settings(store, dir.resolve("pep"), portal);
        // ~20 ids per file, so that a run of 50 ids needs three bulk uploads
        settings.put("pep.portal.max-file-bytes", "2300");
        pep = PepInstance.start(settings);
    }

    @AfterAll
    static void stop() {
        pep.close();
        portal.close();
        store.close();
        log.close();
    }

    @BeforeEach
    void freshRecords() {
        store.records().deleteMany(new Document());
    }

    @AfterEach
    void noFaults() {
        portal.failShare(0, 0);
    }

    JsonNode upload() throws Exception {
        var response = pep.export("/v3/exports/upload");
        return ExportFixtures.json(response.body());
    }

    @Test
    void uploadsEveryDeployedIdOnceInFilesUnderTheLimitAndDuplicatesCountAsUploaded() throws Exception {
        List<String> ids = store.deployed(50);
        portal.preclaim(ids.get(0), ids.get(1)); // claimed before, e.g. by hand in the portal
        int bulksBefore = portal.bulkCount();

        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(50, run.get("count").asInt());
        assertEquals(48, run.get("uploaded").asInt());
        assertEquals(2, run.get("duplicates").asInt());
        assertEquals(3, run.get("bulkIds").size(), "split into files under the limit");
        assertEquals(3, portal.bulkCount() - bulksBefore);
        assertTrue(run.get("errorReports").get(0).asText().startsWith(portal.url()));
        for (String id : ids) {
            assertEquals(1, portal.claims().get(id).get(), id);
        }
        // nothing left: the next run claims nothing and sends nothing
        JsonNode next = upload();
        assertEquals(0, next.get("count").asInt());
        assertEquals(3, portal.bulkCount() - bulksBefore);
        // the run is listed with its bulk ids
        JsonNode listed = ExportFixtures.json(pep.get("/v3/exports?kind=upload&limit=2").body());
        assertEquals(run.get("id").asText(), listed.get(1).get("id").asText());
        assertEquals(3, listed.get(1).get("bulkIds").size());
    }

    @Test
    void anIdThePortalRejectsAsInvalidIsGivenUpVisiblyAndNotCountedUploaded() throws Exception {
        store.deployed(2);
        store.records().insertOne(StoreFixture.record("SN-bad", "A-not-a-fingerprint"));

        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText());
        assertEquals(3, run.get("count").asInt());
        assertEquals(2, run.get("uploaded").asInt());
        assertEquals(1, run.get("failed").asInt());
        assertEquals(1, run.get("refused").asInt());
        assertTrue(run.get("errors").get(0).asText().startsWith("A-not-a-fingerprint: 400 invalid"), run.toString());
        Document bad = store.records().find(Filters.eq("serialNumber", "SN-bad")).first();
        assertTrue(bad.getString("uploadError").contains("invalid"));
        assertFalse(bad.containsKey("uploadedAt"), "not uploaded: " + bad.toJson());

        // 400 is not in pep.portal.retry.codes: not sent again, listed for an operator
        JsonNode next = upload();
        assertEquals(0, next.get("count").asInt(), next.toString());
        JsonNode failures = ExportFixtures.json(pep.get("/v3/exports/failures").body());
        assertEquals("A-not-a-fingerprint", failures.get(0).get("enrollmentID").asText());
        assertEquals("400", failures.get(0).get("code").asText());
        assertEquals("given up", failures.get(0).get("status").asText());
    }

    @Test
    void retriesThroughHalfTheRequestsFailingAndUploadsEveryIdExactlyOnce() throws Exception {
        List<String> ids = store.deployed(60);
        portal.failShare(0.5, 800); // 500, 429, or an answer held past pep's 500 ms timeout
        int faultsBefore = portal.faults.get();

        List<JsonNode> runs = new ArrayList<>();
        for (int i = 0; i < 5 && !allClaimed(ids); i++) {
            runs.add(upload());
        }
        assertTrue(portal.faults.get() - faultsBefore > 3, "faults were injected: " + (portal.faults.get() - faultsBefore));
        assertTrue(allClaimed(ids), "every id reached the portal; runs: " + runs);
        for (String id : ids) {
            assertEquals(1, portal.claims().get(id).get(), "claimed once: " + id);
        }
        // and pep agrees: every record belongs to a finished upload run
        portal.failShare(0, 0);
        assertEquals(0, upload().get("count").asInt(), "nothing left to upload");
    }

    @Test
    void theApiKeyNeverReachesTheLog() throws Exception {
        store.deployed(3);
        portal.failShare(0.5, 800);
        upload();
        portal.failShare(0, 0);
        upload();
        assertFalse(log.lines().isEmpty());
        List<String> leaks = log.lines().stream().filter(line -> line.contains(ExportFixtures.API_KEY)).toList();
        assertTrue(leaks.isEmpty(), leaks.toString());
        assertEquals(0, portal.unauthorized.get());
    }

    @Test
    void thePortalsSizeLimitFailsTheRunWithoutRetryAndKeepsTheIds() throws Exception {
        List<String> ids = store.deployed(5);
        portal.maxBytes(100); // smaller than one file pep sends
        try {
            JsonNode run = upload();
            assertEquals("failed", run.get("status").asText());
            assertTrue(run.get("errors").get(0).asText().contains("413"), run.toString());
        } finally {
            portal.maxBytes(10L * 1024 * 1024);
        }
        JsonNode retry = upload();
        assertEquals("finished", retry.get("status").asText());
        assertTrue(retry.get("count").asInt() >= 5);
        assertTrue(new HashSet<>(portal.claimedOnce()).containsAll(ids));
    }

    private static boolean allClaimed(List<String> ids) {
        return ids.stream().allMatch(id -> portal.claims().containsKey(id) && portal.claims().get(id).get() > 0);
    }
}
