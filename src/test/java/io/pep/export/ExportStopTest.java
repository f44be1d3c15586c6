package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pep stopped (Camel's stop, as SIGTERM does it) while an export asked for over HTTP is going on:
 * the request waiting for it (?wait=) gets 503 saying the run was abandoned and what takes its
 * records over; the run's end is recorded (abandoned, finishedAt, the reason) and its lease is
 * free; the next run exports its records, once.
 */
class ExportStopTest {

    @TempDir
    Path dir;
    StoreFixture store;
    FakePortal portal;

    @AfterEach
    void close() {
        if (portal != null) {
            portal.close();
        }
        store.close();
    }

    Map<String, String> settings(String name) {
        Map<String, String> settings = PepInstance.settings(store, dir.resolve(name), portal);
        settings.put("pep.portal.poll.max", "1000000");
        settings.put("pep.export.stop-grace", "200");
        settings.put("pep.export.lease", "600000"); // waiting for it would fail the test
        return settings;
    }

    @Test
    void anUploadWaitedForIsAnswered503AndRecordedAbandonedWhenPepStops() throws Exception {
        store = new StoreFixture(dir.resolve("mongo"));
        portal = new FakePortal(ExportFixtures.API_KEY);
        List<String> ids = store.deployed(12);
        portal.processingPolls(Integer.MAX_VALUE); // the portal never completes the bulk: the run goes on
        PepInstance pep = PepInstance.start(settings("pep"));
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return ExportFixtures.post(pep.port, "/v3/exports/upload?wait=60");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.currentTimeMillis() + 60_000;
        while (store.records().countDocuments(Filters.exists("uploadBulk")) < ids.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        int bulks = portal.bulkCount();
        assertTrue(bulks >= 1, "the upload reached the portal");

        pep.close();
        HttpResponse<String> answer = waiting.get(60, TimeUnit.SECONDS);
        assertEquals(503, answer.statusCode(), answer.body());
        Document run = store.runs().find(Filters.eq("kind", "upload")).first();
        assertNotNull(run);
        assertTrue(answer.body().startsWith("pep is stopping; export run " + run.getString("_id") + " was abandoned:"),
                answer.body());
        assertTrue(answer.body().contains("not sent again"), answer.body());
        assertTrue(answer.body().contains("POST /v3/exports/upload again once pep is back"), "no schedule: " + answer.body());
        assertEquals("10", answer.headers().firstValue("Retry-After").orElse(null));
        assertEquals("abandoned", run.getString("status"), run.toJson());
        assertNotNull(run.get("finishedAt"), run.toJson());
        assertTrue(run.getList("errors", String.class).stream().anyMatch(e -> e.startsWith("pep stopped during the run")),
                run.toJson());
        assertEquals(0, store.client.getDatabase("mbed_manufacturing_db").getCollection("export_locks").countDocuments(),
                "the lease is free");

        portal.processingPolls(1);
        try (PepInstance next = PepInstance.start(settings("next"))) {
            ExportFixtures.Ended after = next.export("/v3/exports/upload");
            assertEquals(200, after.statusCode(), "not 409: the lease was given back; " + after.body());
            assertEquals(ids.size(), ExportFixtures.json(after.body()).get("uploaded").asInt(), after.body());
        }
        assertEquals(bulks, portal.bulkCount(), "the abandoned run's bulk was polled, its ids not sent again");
    }

    @Test
    void aCsvDropStoppedMidwayIsRecordedAbandonedAndEveryRecordIsDroppedOnce() throws Exception {
        GatedStore gate = new GatedStore();
        store = StoreFixture.over(gate);
        List<String> ids = store.deployed(30);
        Map<String, String> settings = settings("pep");
        settings.put("pep.export.csv.enabled", "true");
        settings.put("pep.export.csv.cron", "0 0 0 1 1 ? 2099"); // never fires while the test runs
        PepInstance pep = PepInstance.start(settings);
        gate.shut();
        HttpResponse<String> accepted = pep.post("/v3/exports/csv");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = ExportFixtures.json(accepted.body()).get("id").asText();
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return ExportFixtures.post(pep.port, "/v3/exports/csv?wait=60");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(gate.reached(60), "the drop is reading its records");
        HttpResponse<String> busy = waiting.get(60, TimeUnit.SECONDS);
        assertEquals(409, busy.statusCode(), "one drop at a time: " + busy.body());

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(pep::close);
        Document run = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            run = store.runs().find(Filters.eq("_id", id)).first();
            if (run != null && !"running".equals(run.getString("status"))) {
                break;
            }
            Thread.sleep(20);
        }
        gate.open();
        stopping.get(60, TimeUnit.SECONDS);
        assertEquals("abandoned", run.getString("status"), run.toJson());
        String why = run.getList("errors", String.class).get(0);
        assertTrue(why.startsWith("pep stopped during the run; the next scheduled drop (pep.export.csv.cron"), why);
        // the drop's thread was not killed: once past the gate it either withdrew its file (it found its run
        // ended) or, when pep's shutdown cut it short after the rename, left a complete file that the next
        // drop settles as delivered. Either way every record is dropped exactly once.
        Path drops = dir.resolve("pep/drops");
        settings = settings("next");
        settings.put("pep.export.csv.dir", drops.toString());
        try (PepInstance next = PepInstance.start(settings)) {
            JsonNode drop = ExportFixtures.json(next.export("/v3/exports/csv").body());
            assertEquals("finished", drop.get("status").asText(), drop.toString());
        }
        List<String> dropped = ExportFixtures.droppedIds(drops);
        assertEquals(ids.size(), dropped.size(), "no record dropped twice: " + dropped);
        assertEquals(new java.util.HashSet<>(ids), new java.util.HashSet<>(dropped));
    }
}
