package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV drops on a share that misbehaves: nearly full (a pep in a child process under
 * {@code ulimit -f}: its writes stop short at the limit, as on a full tmpfs), not mounted, or left
 * with the {@code .part} file of a killed run. No id may be marked dropped unless it is in a
 * complete file under its final name.
 */
class DropFolderTest {

    @TempDir
    Path dir;
    StoreFixture store;
    Path share;

    @BeforeEach
    void start() throws Exception {
        store = new StoreFixture(dir.resolve("mongo"));
        share = Files.createDirectories(dir.resolve("share"));
    }

    @AfterEach
    void stop() {
        store.close();
    }

    Map<String, String> settings(String name, Path dropDir) {
        Map<String, String> settings = PepInstance.settings(store, dir.resolve(name), null);
        settings.put("pep.export.csv.dir", dropDir.toString());
        return settings;
    }

    @Test
    void aShortWriteOnANearlyFullShareFailsTheRunMarksNothingAndTheNextRunDropsEveryRecord() throws Exception {
        List<String> ids = store.deployed(100); // ~28 KB of CSV
        JsonNode failed;
        try (ChildPep child = ChildPep.start(settings("child", share), 8, dir)) { // 8 KB per file at most
            var response = ExportFixtures.export(child.port, "/v3/exports/csv");
            failed = ExportFixtures.json(response.body());
            assertEquals(500, response.statusCode(), response.body());
        }
        assertEquals("failed", failed.get("status").asText(), failed.toString());
        String why = failed.get("errors").get(0).asText();
        assertTrue(why.contains(share.toString()) && why.contains("File too large"), why);
        assertTrue(why.contains("nothing was marked as dropped"), why);
        assertEquals(List.of(), ExportFixtures.names(share), "no file under a final name, no partial file");

        try (PepInstance pep = PepInstance.start(settings("next", share))) {
            JsonNode next = ExportFixtures.json(pep.export("/v3/exports/csv").body());
            assertEquals("finished", next.get("status").asText(), next.toString());
            assertEquals(100, next.get("count").asInt());
            assertEquals(new HashSet<>(ids), new HashSet<>(ExportFixtures.droppedIds(share)));
            assertEquals(100, ExportFixtures.droppedIds(share).size());
        }
    }

    @Test
    void aMissingDropFolderIsRefusedNotCreatedAndTheRecordsWait() throws Exception {
        List<String> ids = store.deployed(5);
        Path unmounted = dir.resolve("mnt/factory-share/pep");
        try (PepInstance pep = PepInstance.start(settings("pep", unmounted))) {
            var response = pep.export("/v3/exports/csv");
            JsonNode run = ExportFixtures.json(response.body());
            assertEquals(500, response.statusCode());
            String why = run.get("errors").get(0).asText();
            assertTrue(why.contains(unmounted.toString()) && why.contains("does not exist"), why);
            assertFalse(Files.exists(unmounted), "an unmounted share is never written locally");

            Files.createDirectories(unmounted); // mounted now
            JsonNode next = ExportFixtures.json(pep.export("/v3/exports/csv").body());
            assertEquals(5, next.get("count").asInt(), next.toString());
            assertEquals(new HashSet<>(ids), new HashSet<>(ExportFixtures.droppedIds(unmounted)));
        }
    }

    @Test
    void recordsAreClaimedInBoundedBatchesEachExactlyOnce() throws Exception {
        List<String> ids = store.deployed(50);
        Map<String, String> settings = settings("pep", share);
        settings.put("pep.export.claim-batch", "7"); // 7 full batches and a last one of 1
        try (PepInstance pep = PepInstance.start(settings)) {
            JsonNode run = ExportFixtures.json(pep.export("/v3/exports/csv").body());
            assertEquals(50, run.get("count").asInt(), run.toString());
            assertEquals(new HashSet<>(ids), new HashSet<>(ExportFixtures.droppedIds(share)));
            assertEquals(50, ExportFixtures.droppedIds(share).size());
            assertEquals(0, ExportFixtures.json(pep.export("/v3/exports/csv").body()).get("count").asInt());
        }
    }

    @Test
    void thePartFileOfAKilledRunIsRemovedByTheNextRun() throws Exception {
        store.deployed(3);
        Path left = share.resolve(CsvDrop.tempName("enrollments-20261129T020000Z-abcdef.csv"));
        Files.writeString(left, "enrollmentID,serialNumber\r\nA-half");
        try (PepInstance pep = PepInstance.start(settings("pep", share))) {
            JsonNode run = ExportFixtures.json(pep.export("/v3/exports/csv").body());
            assertEquals("finished", run.get("status").asText(), run.toString());
            assertEquals(List.of(run.get("file").asText()), ExportFixtures.names(share));
        }
    }
}
