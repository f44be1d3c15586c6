package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** CSV drops through POST /v3/exports/csv: incremental, full, atomic rename, run listing, bad input. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CsvDropTest {

    @TempDir
    static Path dir;
    static TestStore store;
    static PepInstance pep;
    static Path drops;

    @BeforeAll
    static void start() throws Exception {
        store = new TestStore(dir.resolve("mongo"));
        pep = PepInstance.start(PepInstance.settings(store, dir.resolve("pep"), null));
        drops = dir.resolve("pep/drops");
    }

    @AfterAll
    static void stop() {
        pep.close();
        store.close();
    }

    @Test
    @Order(1)
    void incrementalDropsEachDeployedGatewayOnce() throws Exception {
        List<String> first = store.deployed(40);
        store.records().insertOne(TestStore.record("SN-not-deployed", store.enrollmentId()).append("deployed", false));

        JsonNode run = ExportTests.json(pep.post("/v3/exports/csv").body());
        assertEquals("finished", run.get("status").asText());
        assertEquals(40, run.get("count").asInt());
        Path drop = drops.resolve(run.get("file").asText());
        List<String> lines = Files.readAllLines(drop);
        assertEquals(String.join(",", EnrollmentCsv.COLUMNS), lines.get(0));
        assertEquals(new HashSet<>(first), new HashSet<>(ExportTests.idsOf(drop)));
        assertTrue(lines.get(1).contains(",true,"), "deployed column: " + lines.get(1));

        List<String> second = store.deployed(5);
        JsonNode next = ExportTests.json(pep.post("/exports/csv").body());
        assertEquals(5, next.get("count").asInt());
        assertEquals(new HashSet<>(second), new HashSet<>(ExportTests.idsOf(drops.resolve(next.get("file").asText()))));

        JsonNode nothing = ExportTests.json(pep.post("/v3/exports/csv").body());
        assertEquals(0, nothing.get("count").asInt());
        assertTrue(nothing.get("file").isNull(), "no empty file");
        assertEquals(2, ExportTests.drops(drops).size());
        assertEquals(45, ExportTests.droppedIds(drops).size());
    }

    @Test
    @Order(2)
    void fullDropReExportsEveryDeployedGateway() throws Exception {
        JsonNode full = ExportTests.json(pep.post("/v3/exports/csv?mode=full").body());
        assertEquals("full", full.get("mode").asText());
        assertEquals(45, full.get("count").asInt());
        assertEquals(45, ExportTests.idsOf(drops.resolve(full.get("file").asText())).size());
        // a full drop is a snapshot: the incremental stream goes on where it was
        List<String> later = store.deployed(3);
        JsonNode next = ExportTests.json(pep.post("/v3/exports/csv?mode=incremental").body());
        assertEquals(new HashSet<>(later), new HashSet<>(ExportTests.idsOf(drops.resolve(next.get("file").asText()))));
    }

    @Test
    @Order(3)
    void aReaderOfTheFolderSeesOnlyCompleteFiles() throws Exception {
        store.deployed(1500);
        Set<String> complete = new HashSet<>();
        ConcurrentLinkedQueue<String> partial = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                for (Path drop : ExportTests.drops(drops)) {
                    try {
                        byte[] bytes = Files.readAllBytes(drop);
                        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                        seen.add(drop.getFileName().toString());
                        // complete = ends with a record separator and has the row count its run reports
                        if (!text.endsWith("\r\n")) {
                            partial.add(drop + " ends mid-line");
                        }
                    } catch (java.io.IOException e) {
                        // renamed under us: fine
                    }
                }
            }
        });
        watcher.start();
        JsonNode full = ExportTests.json(pep.post("/v3/exports/csv?mode=full").body());
        running.set(false);
        watcher.join();
        assertTrue(partial.isEmpty(), partial.toString());
        assertTrue(seen.contains(full.get("file").asText()) || Files.exists(drops.resolve(full.get("file").asText())));
        assertEquals(1548, ExportTests.idsOf(drops.resolve(full.get("file").asText())).size());
        try (var files = Files.list(drops)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".part")), "no temp file left");
        }
    }

    @Test
    @Order(4)
    void listsRecentRunsAndRefusesBadInput() throws Exception {
        JsonNode runs = ExportTests.json(pep.get("/v3/exports?kind=csv&limit=2").body());
        assertEquals(2, runs.size());
        assertEquals("csv", runs.get(0).get("kind").asText());
        assertTrue(runs.get(0).get("startedAt").asLong() >= runs.get(1).get("startedAt").asLong(), "newest first");
        assertTrue(runs.get(0).has("finishedAt") && runs.get(0).has("errors"));
        assertEquals(6, ExportTests.json(pep.get("/exports").body()).size());

        HttpResponse<String> badMode = pep.post("/v3/exports/csv?mode=everything");
        assertEquals(400, badMode.statusCode());
        assertTrue(badMode.body().contains("mode"));
        assertEquals(400, pep.get("/v3/exports?kind=ftp").statusCode());
        assertEquals(400, pep.get("/v3/exports?limit=0").statusCode());
        assertEquals(400, pep.get("/v3/exports?limit=abc").statusCode());
        // no portal configured here: a clear 503, not a stack trace
        HttpResponse<String> upload = pep.post("/v3/exports/upload");
        assertEquals(503, upload.statusCode());
        assertTrue(upload.body().contains("pep.portal.api-key"));
    }
}
