package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site turns uploads on with a large backlog on the default (embedded) store: one upload run
 * sends every record, in files of pep.portal.max-file-bytes, while gateways keep being provisioned
 * and looked up beside it. Before, the run's claim read and collected the whole backlog in one
 * query holding the collection's lock, and each file's ledger writes selected its ids with an
 * {@code $in} of the whole file over every claimed record: they outlasted the store's timeout (the
 * run failed, nothing was sent) and /v3/identity and /v3/enrollment-id got no answer meanwhile.
 * The backlog here is twenty claim batches and two files, enough for every part of the run to
 * repeat; bench/run measures a million.
 */
class BacklogUploadTest {

    private static final int BACKLOG = 20_000;
    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aLargeBacklogIsSentInOneRunWhileGatewaysAreServed() throws Exception {
        try (StoreFixture store = new StoreFixture(dir.resolve("mongo")); FakePortal portal = new FakePortal(ExportFixtures.API_KEY)) {
            Map<String, String> settings = PepInstance.settings(store, dir.resolve("pep"), portal);
            settings.put("pep.portal.response-timeout", "60000"); // the fake portal parses MBs of CSV on a busy machine
            settings.put("pep.portal.max-file-bytes", "1200000"); // two files
            settings.put("pep.tool.executable", FAKE_TOOL.toString());
            settings.put("pep.tool.queue-wait", "60000");
            // the shared 2-core test machine runs other builds: one store write may wait seconds for the CPU
            settings.put("pep.mongo.timeout-ms", "10000");
            try (PepInstance pep = PepInstance.start(settings)) {
                // straight into the store pep runs on (its indexes in place), as a year of CSV drops leaves it
                for (int loaded = 0; loaded < BACKLOG; loaded += 10_000) {
                    store.deployed(10_000);
                }
                AtomicBoolean uploading = new AtomicBoolean(true);
                ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
                AtomicInteger answered = new AtomicInteger();
                Thread probe = new Thread(() -> probe(pep.port, uploading, answered, unanswered), "provisioning-probe");
                probe.start();
                JsonNode run;
                try {
                    // the run itself, not over HTTP: on a busy machine it may outlast pep.server.idle-timeout
                    pep.context().createProducerTemplate().requestBody("direct:export-upload", (Object) null);
                    run = ExportFixtures.json(pep.get("/v3/exports?kind=upload&limit=1").body()).get(0);
                } finally {
                    uploading.set(false);
                    probe.join();
                }
                assertEquals("finished", run.get("status").asText(), run.toString());
                // the backlog and the probe's gateways deployed before the claim
                int count = run.get("count").asInt();
                assertTrue(count >= BACKLOG, run.toString());
                assertEquals(count, run.get("uploaded").asInt(), run.toString());
                assertEquals(count, portal.idsInBulks.get(), "every id in a bulk, once");
                assertEquals(1, portal.maxSendsPerId());
                assertTrue(run.get("bulkIds").size() >= 2, "in files under pep.portal.max-file-bytes: " + run.get("bulkIds"));
                assertTrue(unanswered.isEmpty(), "gateways not served during the upload: " + List.copyOf(unanswered));
                assertTrue(answered.get() >= 2, "the probe was answered " + answered.get() + " times");
            }
        }
    }

    /**
     * One gateway provisioned and one looked up after another until the upload ends: each must be
     * answered 200 within the HTTP client's timeout (generous: the machine is shared; the goal is 1 s).
     */
    private static void probe(int port, AtomicBoolean uploading, AtomicInteger answered, ConcurrentLinkedQueue<String> unanswered) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int i = 0;
        while (uploading.get()) {
            i++;
            for (String path : List.of("/v3/identity?serialNumber=PROBE-" + i + "&ip=127.0.0.1&port=7777",
                    "/v3/enrollment-id?serialNumber=SN-" + (1 + i * 7919 % BACKLOG))) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        answered.incrementAndGet();
                    } else {
                        unanswered.add(path + " -> " + response.statusCode() + " " + response.body());
                    }
                } catch (Exception e) {
                    unanswered.add(path + " -> " + e);
                }
            }
        }
    }
}
