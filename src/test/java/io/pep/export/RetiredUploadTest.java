package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** An identity retired before an upload run took it is never sent to the portal. */
class RetiredUploadTest extends PortalUploadFixture {

    @Test
    void aRetiredIdentityThatWasNeverUploadedIsNeverSent() throws Exception {
        startPep(Map.of());
        List<String> ids = store.deployed(5);
        retire(ids.get(0));
        retire(ids.get(3));

        JsonNode run = ExportFixtures.json(pep.export("/v3/exports/upload").body());
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(3, run.get("count").asInt(), run.toString());
        assertEquals(3, run.get("uploaded").asInt(), run.toString());
        assertFalse(portal.claims().containsKey(ids.get(0)), "retired before upload: never sent");
        assertFalse(portal.claims().containsKey(ids.get(3)), "retired before upload: never sent");
        for (String id : List.of(ids.get(1), ids.get(2), ids.get(4))) {
            assertTrue(portal.claims().containsKey(id), id);
        }
        JsonNode next = ExportFixtures.json(pep.export("/v3/exports/upload").body());
        assertEquals(0, next.get("count").asInt(), "nothing left, the retired ones included: " + next);
    }

    private void retire(String enrollmentId) throws Exception {
        String serial = store.records().find(new Document("enrollmentID", enrollmentId)).first().getString("serialNumber");
        var answer = pep.post("/v3/identities/retire?reason=rma&serialNumber=" + serial);
        assertEquals(200, answer.statusCode(), answer.body());
    }
}
