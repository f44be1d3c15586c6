package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /v3/exports/csv|upload over real HTTP: answered 202 with the run's Location at once, the run
 * followed at GET /v3/exports/{id}; ?wait= answers with the ended run, and gives up waiting after
 * that many seconds; the export work runs on pep's own export threads, never on a Vert.x thread
 * (whose blocked-thread checker would report a long run every second).
 */
class ExportOverHttpTest {

    @TempDir
    static Path dir;
    static StoreFixture store;
    static FakePortal portal;
    static PepInstance pep;

    @BeforeAll
    static void start() throws Exception {
        store = new StoreFixture(dir.resolve("mongo"));
        portal = new FakePortal(ExportFixtures.API_KEY);
        Map<String, String> settings = PepInstance.settings(store, dir.resolve("pep"), portal);
        settings.put("pep.portal.poll.max", "1000000");
        settings.put("pep.export.stop-grace", "0");
        pep = PepInstance.start(settings);
    }

    @AfterAll
    static void stop() {
        pep.close();
        portal.close();
        store.close();
    }

    @Test
    void aPostAnswers202WithTheRunsLocationAndTheRunEndsByItself() throws Exception {
        store.deployed(20);
        HttpResponse<String> accepted = pep.post("/v3/exports/csv?mode=full");
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode run = ExportFixtures.json(accepted.body());
        String location = accepted.headers().firstValue("Location").orElse("");
        assertEquals("/v3/exports/" + run.get("id").asText(), location);
        assertEquals("csv", run.get("kind").asText());
        assertEquals("application/json; charset=utf-8", accepted.headers().firstValue("Content-Type").orElse(""));

        JsonNode ended = null;
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> polled = pep.get(location);
            assertEquals(200, polled.statusCode(), polled.body());
            ended = ExportFixtures.json(polled.body());
            if (!"running".equals(ended.get("status").asText())) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals("finished", ended.get("status").asText(), String.valueOf(ended));
        assertTrue(ended.get("count").asInt() >= 20, ended.toString());
        assertTrue(Files.exists(dir.resolve("pep/drops").resolve(ended.get("file").asText())), ended.toString());
        assertEquals(ended.toString(), ExportFixtures.json(pep.get("/exports/" + run.get("id").asText()).body()).toString(),
                "the same run at the root alias");
    }

    @Test
    void waitAnswersWithTheEndedRun() throws Exception {
        store.deployed(5);
        HttpResponse<String> answer = pep.post("/v3/exports/csv?wait=60");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode run = ExportFixtures.json(answer.body());
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertFalse(answer.headers().firstValue("Location").isPresent());
    }

    @Test
    void aRunLongerThanTheWaitIsAnswered202AndRunsOnPepsExportThreads() throws Exception {
        StringWriter log = new StringWriter();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.newBuilder().setName("export-threads").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%t|%c{1}|%m%n").build()).build();
        appender.start();
        logging.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        logging.updateLoggers();
        try {
            store.deployed(3);
            portal.processingPolls(Integer.MAX_VALUE); // the portal never completes the bulk: the run goes on
            HttpResponse<String> answer = pep.post("/v3/exports/upload?wait=1");
            assertEquals(202, answer.statusCode(), answer.body());
            JsonNode run = ExportFixtures.json(answer.body());
            assertEquals("running", run.get("status").asText(), run.toString());
            long deadline = System.currentTimeMillis() + 60_000;
            while (portal.bulkCount() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, portal.bulkCount(), "the run went on after the answer");
            assertEquals("running", ExportFixtures.json(pep.get(answer.headers().firstValue("Location").orElseThrow())
                    .body()).get("status").asText());
            HttpResponse<String> busy = pep.post("/v3/exports/upload");
            assertEquals(409, busy.statusCode(), busy.body());
            assertTrue(busy.body().contains(run.get("id").asText()), busy.body());
        } finally {
            logging.getConfiguration().getRootLogger().removeAppender("export-threads");
            logging.updateLoggers();
            appender.stop();
        }
        String started = log.toString().lines().filter(line -> line.contains("|ExportRuns|Export run upload-"))
                .findFirst().orElse("");
        assertTrue(started.contains("pep-export"), "the run was started on an export thread: " + started);
        assertFalse(started.startsWith("vert.x-"), started);
        assertFalse(log.toString().contains("has been blocked for"), "no blocked-thread report");
    }

    @Test
    void badWaitIs400AnUnknownRunIs404AndTheFailuresListIsStillServed() throws Exception {
        HttpResponse<String> bad = pep.post("/v3/exports/csv?wait=soon");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("wait must be a number of seconds"), bad.body());
        assertEquals(404, pep.get("/v3/exports/csv-20000101T000000Z-000000").statusCode());
        HttpResponse<String> failures = pep.get("/v3/exports/failures");
        assertEquals(200, failures.statusCode(), failures.body());
        assertTrue(failures.body().startsWith("["), failures.body());
    }
}
