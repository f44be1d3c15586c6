package io.pep.export;

import io.pep.identity.EnrollmentCsv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** CSV drops through POST /v3/exports/csv: incremental, full, atomic rename, run listing, bad input. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CsvDropTest extends CsvDropFixture {

    @Test
    @Order(1)
    void incrementalDropsEachDeployedGatewayOnce() throws Exception {
        List<String> first = store.deployed(40);
        store.records().insertOne(StoreFixture.record("SN-not-deployed", store.enrollmentId()).append("deployed", false));

        JsonNode run = ExportFixtures.json(pep.export("/v3/exports/csv").body());
        assertEquals("finished", run.get("status").asText());
        assertEquals(40, run.get("count").asInt());
        Path drop = drops.resolve(run.get("file").asText());
        List<String> lines = Files.readAllLines(drop);
        assertEquals(String.join(",", EnrollmentCsv.COLUMNS), lines.get(0));
        assertEquals(new HashSet<>(first), new HashSet<>(ExportFixtures.idsOf(drop)));
        assertTrue(lines.get(1).contains(",true,"), "deployed column: " + lines.get(1));

        List<String> second = store.deployed(5);
        JsonNode next = ExportFixtures.json(pep.export("/exports/csv").body());
        assertEquals(5, next.get("count").asInt());
        assertEquals(new HashSet<>(second), new HashSet<>(ExportFixtures.idsOf(drops.resolve(next.get("file").asText()))));

        JsonNode nothing = ExportFixtures.json(pep.export("/v3/exports/csv").body());
        assertEquals(0, nothing.get("count").asInt());
        assertTrue(nothing.get("file").isNull(), "no empty file");
        assertEquals(2, ExportFixtures.drops(drops).size());
        assertEquals(45, ExportFixtures.droppedIds(drops).size());
    }

    @Test
    @Order(2)
    void fullDropReExportsEveryDeployedGateway() throws Exception {
        JsonNode full = ExportFixtures.json(pep.export("/v3/exports/csv?mode=full").body());
        assertEquals("full", full.get("mode").asText());
        assertEquals(45, full.get("count").asInt());
        assertEquals(45, ExportFixtures.idsOf(drops.resolve(full.get("file").asText())).size());
        // a full drop is a snapshot: the incremental stream goes on where it was
        List<String> later = store.deployed(3);
        JsonNode next = ExportFixtures.json(pep.export("/v3/exports/csv?mode=incremental").body());
        assertEquals(new HashSet<>(later), new HashSet<>(ExportFixtures.idsOf(drops.resolve(next.get("file").asText()))));
    }

    @Test
    @Order(3)
    void aReaderOfTheFolderSeesOnlyCompleteFiles() throws Exception {
        store.deployed(1500);
        Set<String> complete = new HashSet<>();
        ConcurrentLinkedQueue<String> partial = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        // every read of a visible drop: file name -> the line counts the reader saw
        java.util.Map<String, List<Integer>> reads = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                for (Path drop : ExportFixtures.drops(drops)) {
                    try {
                        byte[] bytes = Files.readAllBytes(drop);
                        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                        reads.computeIfAbsent(drop.getFileName().toString(), name -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(text.split("\r\n", -1).length - 1);
                        // complete = ends with a record separator and has the row count its run reports
                        if (!text.endsWith("\r\n")) {
                            partial.add(drop + " ends mid-line");
                        }
                    } catch (java.io.IOException e) {
                        // renamed under us: fine
                    }
                }
                passes.incrementAndGet();
            }
        });
        watcher.start();
        JsonNode full = ExportFixtures.json(pep.export("/v3/exports/csv?mode=full").body());
        // one whole pass of the reader after the drop was answered: it has read the new file
        int answeredAt = passes.get();
        io.pep.Eventually.await("two more passes of the reader", () -> passes.get() >= answeredAt + 2);
        running.set(false);
        watcher.join();
        assertTrue(partial.isEmpty(), partial.toString());
        String file = full.get("file").asText();
        List<Integer> linesSeen = reads.get(file);
        assertNotNull(linesSeen, "the reader saw the drop " + file + " (saw " + reads.keySet() + ")");
        // header + 1548 rows in every read: no reader ever saw the file while it was being written
        assertEquals(List.of(1549), linesSeen.stream().distinct().toList(), "line counts the reader saw");
        assertEquals(1548, ExportFixtures.idsOf(drops.resolve(file)).size());
        try (var files = Files.list(drops)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".part")), "no temp file left");
        }
    }

    @Test
    @Order(4)
    void listsRecentRunsAndRefusesBadInput() throws Exception {
        JsonNode runs = ExportFixtures.json(pep.get("/v3/exports?kind=csv&limit=2").body());
        assertEquals(2, runs.size());
        assertEquals("csv", runs.get(0).get("kind").asText());
        assertTrue(runs.get(0).get("startedAt").asLong() >= runs.get(1).get("startedAt").asLong(), "newest first");
        assertTrue(runs.get(0).has("finishedAt") && runs.get(0).has("errors"));
        assertEquals(6, ExportFixtures.json(pep.get("/exports").body()).size());

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
