package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A pep killed in the middle of an upload (SIGKILL, a child process) must not block exports until
 * its lease runs out: the next pep on the same host sees the holder's process is gone and takes
 * over at once; a run that fails gives its lease back at once.
 */
class LeaseHandOverTest extends PortalUploadFixture {


    @Test
    void aKilledRunsLeaseIsTakenOverAtOnceAndItsBulkIsSettledNotResent() throws Exception {
        List<String> ids = store.deployed(12);
        portal.processingPolls(Integer.MAX_VALUE); // the child waits for the portal
        Map<String, String> settings = PepInstance.settings(store, dir.resolve("child"), portal);
        settings.put("pep.portal.poll.max", "1000000");
        settings.put("pep.export.lease", "600000"); // ten minutes: waiting for it would fail this test
        try (ChildPep child = ChildPep.start(settings, 0, dir)) {
            ExportFixtures.uploadInBackground(child.port);
            io.pep.Eventually.await("the portal answered with a bulk id and the child recorded it",
                    () -> store.records().countDocuments(Filters.exists("uploadBulk")) >= ids.size());
            assertEquals(1, portal.bulkCount(), "the child's upload reached the portal");
            assertEquals(ids.size(), store.records().countDocuments(Filters.exists("uploadBulk")));
            child.kill();
        }
        portal.processingPolls(1);
        Map<String, String> next = PepInstance.settings(store, dir.resolve("next"), portal);
        next.put("pep.export.lease", "600000");
        try (PepInstance pep = PepInstance.start(next)) {
            var response = pep.export("/v3/exports/upload");
            assertEquals(200, response.statusCode(), "not 409 'running already': " + response.body());
            JsonNode run = ExportFixtures.json(response.body());
            assertEquals(12, run.get("uploaded").asInt(), run.toString());
            assertEquals(1, portal.bulkCount(), "the killed run's bulk was polled, its ids not resent");
        }
        for (String id : ids) {
            assertEquals(1, portal.claims().get(id).get(), id);
        }
        Document killed = store.runs().find(Filters.ne("status", "finished")).first();
        assertTrue(killed != null && "abandoned".equals(killed.getString("status")), String.valueOf(killed));
    }

    @Test
    void aFailedRunGivesItsLeaseBackAtOnce() throws Exception {
        store.deployed(3);
        portal.maxBytes(10); // every upload refused with 413: the run fails
        Map<String, String> settings = PepInstance.settings(store, dir.resolve("pep"), portal);
        settings.put("pep.export.lease", "600000");
        try (PepInstance pep = PepInstance.start(settings)) {
            assertEquals(500, pep.export("/v3/exports/upload").statusCode());
            portal.maxBytes(10L * 1024 * 1024);
            var retry = pep.export("/v3/exports/upload");
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(3, ExportFixtures.json(retry.body()).get("uploaded").asInt());
        }
    }
}
