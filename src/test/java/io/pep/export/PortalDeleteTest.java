package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import io.pep.Eventually;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Rework at the portal: an identity retired after it was uploaded is removed from the portal's
 * enrollments by the next upload run, with a bulk delete (SPEC §5), exactly once, through refusals
 * and a kill -9; one never uploaded is never sent a delete; the serial's new identity is uploaded.
 */
class PortalDeleteTest extends PortalUploadFixture {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();

    @Override
    Map<String, String> classSettings() {
        return Map.of("pep.tool.executable", FAKE_TOOL.toString(), "pep.tool.env", "FCU_HOME_DIR=/opt/fcu-package",
                "pep.tool.timeout", "10000", "pep.portal.delete.retry-delay", "50");
    }

    @Test
    void anIdentityRetiredAfterItsUploadIsDeletedAtThePortalOnceAndItsSerialsNewIdentityIsUploaded() throws Exception {
        startPep(Map.of());
        String serial = "rework-portal-1";
        String oldId = provision(serial);
        List<String> others = store.deployed(2);
        JsonNode first = upload();
        assertEquals(3, first.get("uploaded").asInt(), first.toString());
        assertTrue(portal.holds(oldId));

        retire(serial);
        String newId = provision(serial);
        assertNotEquals(oldId, newId);
        JsonNode second = upload();
        assertEquals("finished", second.get("status").asText(), second.toString());
        assertEquals(1, second.get("uploaded").asInt(), "the serial's new identity is uploaded: " + second);
        assertTrue(portal.holds(newId), "the new identity is enrolled");
        assertFalse(portal.holds(oldId), "the retired identity is no longer enrolled at the portal");
        assertEquals(1, portal.deletions(oldId));
        assertEquals(1, portal.deleteSends(oldId), "sent in one bulk delete");
        others.forEach(id -> assertTrue(portal.holds(id), id));
        assertEquals("deleted", entry(oldId).getString("portalDelete"), entry(oldId).toJson());
        JsonNode history = ExportFixtures.json(pep.get("/v3/identities/history?serialNumber=" + serial).body());
        assertEquals("deleted", history.at("/identities/0/portalDelete").asText(), history.toString());

        JsonNode third = upload();
        assertEquals("finished", third.get("status").asText(), third.toString());
        assertEquals(1, portal.deleteSendsTotal(), "a deleted identity is never sent again");
        assertEquals(1, portal.deleteBulks.get());
        Eventually.await("pep_export_ids_total counts the delete", () -> pep.get("/observe/metrics").body().lines()
                .anyMatch(l -> l.startsWith("pep_export_ids_total{kind=\"delete\",outcome=\"deleted\"} 1")));
    }

    @Test
    void aRetiredIdentityThatWasNeverUploadedIsNeverSentADelete() throws Exception {
        startPep(Map.of());
        List<String> ids = store.deployed(3);
        retire(serialOf(ids.get(0)));
        assertEquals(2, upload().get("uploaded").asInt());
        upload();
        assertEquals(0, portal.deleteSendsTotal(), String.valueOf(portal.requests));
        assertTrue(portal.requests.stream().noneMatch(r -> r.contains("bulk-deletes")), String.valueOf(portal.requests));
        assertEquals("not-uploaded", entry(ids.get(0)).getString("portalDelete"));
    }

    @Test
    void aDeleteThePortalRefusesIsKeptListedAndFinishedByALaterRun() throws Exception {
        startPep(Map.of());
        List<String> ids = store.deployed(2);
        upload();
        String id = ids.get(0);
        portal.refuseDelete(id, "500", "internal_server_error", "try again later");
        retire(serialOf(id));

        JsonNode refused = upload();
        assertEquals("finished", refused.get("status").asText(), "a per-id refusal does not fail the run: " + refused);
        assertTrue(refused.get("errors").toString().contains(id + ": the portal did not delete it: 500 internal_server_error"),
                refused.toString());
        assertTrue(portal.holds(id));
        assertEquals("failed", entry(id).getString("portalDelete"));
        String failures = pep.get("/v3/exports/failures").body();
        assertTrue(failures.contains(id) && failures.contains("delete retried"), failures);

        // the portal refuses the bulk delete request itself, past every retry: the run fails, the id stays due
        portal.healDeletes();
        portal.failDeletePosts(500);
        awaitBackOffOver(id);
        JsonNode down = upload();
        assertEquals("failed", down.get("status").asText(), down.toString());
        assertTrue(down.get("errors").get(0).asText().contains("the bulk delete of 1 retired ids"), down.toString());
        assertTrue(portal.holds(id));

        portal.healDeletes();
        awaitBackOffOver(id);
        JsonNode healed = upload();
        assertEquals("finished", healed.get("status").asText(), healed.toString());
        assertFalse(portal.holds(id), "deleted by the later run");
        assertEquals(1, portal.deletions(id));
        assertEquals("deleted", entry(id).getString("portalDelete"));
        assertFalse(pep.get("/v3/exports/failures").body().contains(id), "no longer listed once deleted");
        assertTrue(portal.holds(ids.get(1)));
    }

    @Test
    void aBulkDeleteThePortalLostIsSentAgainAndDeletedOnce() throws Exception {
        // a bulk a run could not settle is checked again by the very next run
        startPep(Map.of("pep.portal.bulk.recheck-delay", "0"));
        List<String> ids = store.deployed(2);
        upload();
        String id = ids.get(0);
        retire(serialOf(id));
        portal.processingPolls(Integer.MAX_VALUE); // the bulk delete never completes: the run leaves it pending
        JsonNode pending = upload();
        assertEquals("failed", pending.get("status").asText(), pending.toString());
        assertEquals(1, portal.deleteSends(id));

        portal.forgetBulks(); // the portal lost it: its status answers 404 from now on
        portal.processingPolls(1);
        JsonNode lost = upload();
        assertTrue(lost.get("errors").toString().contains("does not know bulk delete"), lost.toString());
        Eventually.await("a later run sends it again and the portal deletes it", () -> {
            upload();
            return "deleted".equals(entry(id).getString("portalDelete"));
        });
        assertEquals(1, portal.deletions(id), "deleted once");
        assertEquals(2, portal.deleteSends(id), "sent twice: once into the lost bulk, once again");
        assertFalse(portal.holds(id));
        assertTrue(portal.holds(ids.get(1)), "the other identity is untouched");
    }

    @Test
    void aBulkDeleteWhoseAnswerIsLostIsSentAgainAndTheRepeatIsHarmless() throws Exception {
        startPep(Map.of());
        List<String> ids = store.deployed(2);
        upload();
        String id = ids.get(0);
        retire(serialOf(id));
        portal.dropDeleteAnswerOnce(); // the portal deletes it, pep never learns the bulk's id

        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(2, portal.deleteSends(id), "sent again: pep could not know the portal got it");
        assertEquals(1, portal.deletions(id), "deleted once");
        assertFalse(portal.holds(id));
        assertEquals("not-found", entry(id).getString("portalDelete"), "the repeat found nothing to delete: done");
        assertTrue(portal.holds(ids.get(1)), "the other identity is untouched");
    }

    @Test
    void aPepKilledWhileItsBulkDeleteIsWithThePortalResumesItWithoutSendingAgain() throws Exception {
        startPep(Map.of());
        List<String> ids = store.deployed(3);
        upload();
        String id = ids.get(1);
        retire(serialOf(id));
        pep.close();
        pep = null;

        portal.processingPolls(Integer.MAX_VALUE); // the child waits for the portal to complete the bulk delete
        Map<String, String> settings = PepInstance.settings(store, dir.resolve("child"), portal);
        settings.put("pep.portal.poll.max", "1000000");
        settings.put("pep.export.lease", "600000");
        try (ChildPep child = ChildPep.start(settings, 0, dir)) {
            ExportFixtures.uploadInBackground(child.port);
            Eventually.await("the portal answered the bulk delete and the child recorded its id",
                    () -> entry(id).getString("deleteBulk") != null);
            assertEquals(1, portal.deleteBulks.get());
            child.kill();
        }
        assertTrue(portal.holds(id), "not completed before the kill");

        portal.processingPolls(1);
        startPep(Map.of("pep.export.lease", "600000"));
        JsonNode resumed = upload();
        assertEquals("finished", resumed.get("status").asText(), resumed.toString());
        assertEquals(1, portal.deleteBulks.get(), "the killed run's bulk delete was polled, not sent again");
        assertEquals(1, portal.deleteSends(id));
        assertEquals(1, portal.deletions(id));
        assertFalse(portal.holds(id));
        assertEquals("deleted", entry(id).getString("portalDelete"));
    }

    private JsonNode upload() throws Exception {
        var answer = pep.export("/v3/exports/upload");
        return ExportFixtures.json(answer.body());
    }

    private String provision(String serial) throws Exception {
        var answer = pep.get("/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777");
        assertEquals(200, answer.statusCode(), answer.body());
        return ExportFixtures.json(answer.body()).get("enrollmentID").asText();
    }

    private void retire(String serial) throws Exception {
        var answer = pep.post("/v3/identities/retire?reason=rma&serialNumber=" + serial);
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private String serialOf(String enrollmentId) {
        return store.records().find(new Document("enrollmentID", enrollmentId)).first().getString("serialNumber");
    }

    private MongoCollection<Document> history() {
        return store.client.getDatabase("mbed_manufacturing_db").getCollection("identity_history");
    }

    private Document entry(String enrollmentId) {
        return history().find(new Document("enrollmentID", enrollmentId)).first();
    }

    /** A refused delete is sent again once its back-off (pep.portal.delete.retry-delay, doubled) is over. */
    private void awaitBackOffOver(String id) {
        Eventually.await("the refused delete's back-off is over", () -> {
            Number next = entry(id).get("nextDeleteAt", Number.class);
            return next == null || next.longValue() < System.currentTimeMillis();
        });
    }
}
