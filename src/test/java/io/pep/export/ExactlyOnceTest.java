package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two peps sharing one MongoDB (and one drop folder) race; a pep dies mid-run and another takes over. */
class ExactlyOnceTest {

    @TempDir
    Path dir;
    StoreFixture store;
    FakePortal portal;
    Path share;

    @BeforeEach
    void start() throws Exception {
        store = new StoreFixture(dir.resolve("mongo"));
        portal = new FakePortal(ExportFixtures.API_KEY);
        share = java.nio.file.Files.createDirectories(dir.resolve("share")); // a mounted share exists
    }

    @AfterEach
    void stop() {
        portal.close();
        store.close();
    }

    Map<String, String> settings(String name) {
        Map<String, String> settings = PepInstance.settings(store, dir.resolve(name), portal);
        settings.put("pep.export.csv.dir", share.toString());
        return settings;
    }

    /** POSTs until the lease of the pep that went away has expired (409 until then). */
    static String afterLease(PepInstance pep, String path) {
        return io.pep.Eventually.await(path + " runs once the lease lapsed", () -> pep.export(path),
                response -> response.statusCode() != 409).body();
    }

    @Test
    void twoPepsRacingDropAndUploadEachRecordExactlyOnce() throws Exception {
        List<String> ids = new ArrayList<>(store.deployed(150));
        try (PepInstance a = PepInstance.start(settings("a")); PepInstance b = PepInstance.start(settings("b"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                for (PepInstance pep : List.of(a, b)) {
                    answers.add(pool.submit(() -> pep.export("/v3/exports/csv").statusCode()));
                    answers.add(pool.submit(() -> pep.export("/v3/exports/upload").statusCode()));
                }
                ids.addAll(store.deployed(10)); // gateways keep arriving meanwhile
            }
            for (Future<Integer> answer : answers) {
                int status = answer.get(60, TimeUnit.SECONDS);
                assertTrue(status == 200 || status == 409, "ran or was told another run is busy: " + status);
            }
            pool.shutdown();
            // drain what arrived after the last run
            assertEquals(200, a.export("/v3/exports/csv").statusCode());
            assertEquals(200, b.export("/v3/exports/upload").statusCode());
        }
        List<String> dropped = ExportFixtures.droppedIds(share);
        assertEquals(ids.size(), dropped.size(), "no record dropped twice");
        assertEquals(new HashSet<>(ids), new HashSet<>(dropped), "every record dropped");
        for (String id : ids) {
            assertEquals(1, portal.claims().get(id).get(), "uploaded once: " + id);
        }
        long duplicates = 0;
        for (Document run : store.runs().find(Filters.eq("kind", "upload"))) {
            duplicates += run.get("duplicates", Number.class).longValue();
        }
        assertEquals(0, duplicates, "no id was ever sent twice");
    }

    @Test
    void aPepStoppedWhileWaitingForThePortalLosesNothing() throws Exception {
        List<String> ids = store.deployed(30);
        portal.processingPolls(Integer.MAX_VALUE); // the portal never finishes: the run is stuck polling
        Map<String, String> stuck = settings("a");
        stuck.put("pep.portal.poll.max", "1000000");
        stuck.put("pep.export.lease", "1500");
        PepInstance a = PepInstance.start(stuck);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> inFlight = pool.submit(() -> a.post("/v3/exports/upload"));
        io.pep.Eventually.await("the file reached the portal", () -> portal.bulkCount() > 0);
        assertEquals(1, portal.bulkCount(), "the file reached the portal once");
        a.close(); // the pep goes away mid-run
        inFlight.cancel(true);
        pool.shutdownNow();

        portal.processingPolls(1);
        Map<String, String> next = settings("b");
        next.put("pep.export.lease", "1500");
        try (PepInstance b = PepInstance.start(next)) {
            JsonNode run = ExportFixtures.json(afterLease(b, "/v3/exports/upload"));
            assertEquals("finished", run.get("status").asText(), run.toString());
            // the portal had answered a's upload with a bulk id: b polls that bulk, it does not resend
            assertEquals(0, run.get("count").asInt(), run.toString());
            assertEquals(30, run.get("uploaded").asInt(), run.toString());
            assertEquals(1, portal.bulkCount(), "nothing sent again");
        }
        for (String id : ids) {
            assertEquals(1, portal.claims().get(id).get(), "uploaded once: " + id);
        }
        Document first = store.runs().find(Filters.ne("status", "finished")).first();
        assertTrue(first != null && List.of("abandoned", "failed").contains(first.getString("status")), String.valueOf(first));
    }

    @Test
    void aDropInterruptedBeforeItsFileIsCompleteIsRedoneAndOneCompleteIsKept() throws Exception {
        List<String> before = store.deployed(20);
        Map<String, String> first = settings("a");
        first.put("pep.export.lease", "1500");
        PepInstance a = PepInstance.start(first);
        // pep a claims, then dies before writing the file
        ExportRun lost = a.bean("exportRuns", ExportRuns.class).start("csv", "incremental");
        a.close();
        assertEquals(20, lost.getCount());

        Map<String, String> next = settings("b");
        next.put("pep.export.lease", "1500");
        try (PepInstance b = PepInstance.start(next)) {
            JsonNode redo = ExportFixtures.json(afterLease(b, "/v3/exports/csv"));
            assertEquals(20, redo.get("count").asInt(), "the claimed records are dropped by the next run");
            assertEquals(new HashSet<>(before), new HashSet<>(ExportFixtures.idsOf(share.resolve(redo.get("file").asText()))));

            // b claims and renames its file, then dies before committing: the file counts as delivered
            List<String> later = store.deployed(7);
            ExportRuns runs = b.bean("exportRuns", ExportRuns.class);
            ExportRun renamed = runs.start("csv", "incremental");
            Files.writeString(share.resolve(renamed.getFile()), "enrollmentID\r\n" + String.join("\r\n", later) + "\r\n");
            // the next run takes over once the lease has expired, as if b had died (its lease no longer renewed)
            runs.stop();
            JsonNode after = ExportFixtures.json(afterLease(b, "/v3/exports/csv"));
            assertEquals(0, after.get("count").asInt(), "nothing dropped twice");
            Document settled = store.runs().find(Filters.eq("_id", renamed.getId())).first();
            assertEquals("finished", settled.getString("status"));
        }
        assertEquals(27, ExportFixtures.droppedIds(share).size());
    }
}
