package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pep.observe.PrometheusText;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Ids the portal already held are listed per run (GET /v3/exports/duplicates) with whether pep had
 * sent them before, and every outcome of an id — uploaded, duplicate, refused, given up — is a metric.
 */
class UploadDuplicatesTest extends PortalUploadFixture {

    @Test
    void idsClaimedElsewhereAreListedPerRunAndEveryOutcomeIsCounted() throws Exception {
        List<String> ids = store.deployed(6);
        portal.preclaim(ids.get(1), ids.get(2)); // claimed by another upload (another account, a tool) first
        portal.refuse(ids.get(5), "400", "validation_error", "rejected");
        startPep(Map.of("pep.portal.response-timeout", "10000", "pep.metrics.store-refresh", "0"));

        PrometheusText before = PrometheusText.parse(pep.get("/observe/metrics").body());
        assertTrue(before.has("pep_export_ids_total"), "the upload outcomes exist at 0 from the start");
        assertEquals(0, before.value("pep_export_ids_total", "kind", "upload", "outcome", "refused"), 0.0);

        JsonNode run = ExportFixtures.json(pep.export("/v3/exports/upload").body());
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(2, run.get("duplicates").asInt(), run.toString());

        JsonNode listed = ExportFixtures.json(pep.get("/v3/exports/duplicates").body());
        assertEquals(2, listed.size(), listed.toString());
        for (JsonNode row : listed) {
            assertTrue(row.get("enrollmentID").asText().equals(ids.get(1)) || row.get("enrollmentID").asText().equals(ids.get(2)), row.toString());
            assertFalse(row.get("sentBefore").asBoolean(), "pep never sent it before: someone else holds it " + row);
            assertEquals(run.get("id").asText(), row.get("runId").asText());
            assertTrue(row.get("portalMessage").asText().startsWith("409 duplicate"), row.toString());
        }
        String csv = pep.get("/v3/exports/duplicates?format=csv&run=" + run.get("id").asText()).body();
        assertTrue(csv.startsWith("enrollmentID,serialNumber,runId,bulkId,attempts,sentBefore,portalMessage,at\r\n"), csv);
        assertEquals(3, csv.split("\r\n").length, csv);
        assertEquals("[]", pep.get("/v3/exports/duplicates?run=upload-none").body());
        assertEquals(400, pep.get("/v3/exports/duplicates?limit=0").statusCode());

        PrometheusText after = PrometheusText.parse(pep.get("/observe/metrics").body());
        assertEquals(3, after.value("pep_export_ids_total", "kind", "upload", "outcome", "uploaded"), 0.0);
        assertEquals(2, after.value("pep_export_ids_total", "kind", "upload", "outcome", "duplicate"), 0.0);
        assertEquals(1, after.value("pep_export_ids_total", "kind", "upload", "outcome", "refused"), 0.0);
        assertEquals(1, after.value("pep_export_ids_total", "kind", "upload", "outcome", "given_up"), 0.0);
        assertEquals(0, after.value("pep_export_bulks", "status", "pending"), 0.0);
    }
}
