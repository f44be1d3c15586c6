package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pep.observe.PrometheusText;

import java.util.List;
import java.util.Map;
import org.bson.Document;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No single bulk wedges the uploads: a bulk whose error report cannot be read (a redirect, 403,
 * 404…) stays pending with its reason while later runs still send new ids and settle other bulks;
 * a redirect is followed without the key; a bulk unsettled for pep.portal.bulk.give-up-after is
 * given up, its ids sent again and listed for the operator.
 */
class UnsettledBulkTest extends PortalUploadFixture {

    @Override
    Map<String, String> classSettings() {
        return Map.of("pep.portal.poll.max", "4", "pep.portal.retry.max", "2",
                // no call here needs to time out: a busy machine must not make a lost answer (and a second bulk)
                "pep.portal.response-timeout", "10000", "pep.metrics.store-refresh", "0");
    }

    JsonNode upload() throws Exception {
        return ExportFixtures.json(pep.export("/v3/exports/upload").body());
    }

    /** The bulk upload that holds {@code id} (an id the portal does not refuse). */
    Document bulkOf(String id) {
        String bulkId = store.records().find(new Document("enrollmentID", id)).first().getString("uploadBulk");
        return store.client.getDatabase("mbed_manufacturing_db").getCollection("export_bulks").find(new Document("_id", bulkId)).first();
    }

    @ParameterizedTest(name = "error report answers {0}")
    @ValueSource(ints = {302, 403, 404})
    void aBulkWhoseReportCannotBeReadNeverStopsLaterRunsFromSendingAndSettling(int status) throws Exception {
        List<String> first = store.deployed(10);
        portal.refuse(first.get(0), "400", "invalid", "no");
        // bulk 1's report: a redirect back to the portal (followed without the key: 401), or a refusal
        portal.failReport(first.get(1), status, status == 302 ? portal.url() + "/reports/moved/errors.csv" : null);
        startPep(Map.of("pep.portal.bulk.recheck-delay", "0"));

        JsonNode run1 = upload();
        assertEquals(10, run1.get("count").asInt(), run1.toString());
        assertEquals("failed", run1.get("status").asText(), run1.toString());
        String why = run1.get("errors").get(0).asText();
        Document bulk1 = bulkOf(first.get(1));
        assertTrue(why.contains("the error report of bulk upload " + bulk1.getString("_id") + " could not be read"), why);
        assertTrue(why.contains("stays pending"), why);
        assertEquals("pending", bulk1.getString("status"));
        assertTrue(bulk1.getString("checkError").contains(String.valueOf(status == 302 ? 401 : status)), bulk1.toJson());
        if (status == 302) {
            assertEquals(1, portal.unauthorized.get(), "the redirect was followed once, without the key");
        }
        JsonNode bulks = ExportFixtures.json(pep.get("/dashboard/api/summary").body()).get("exportBulks");
        assertEquals(1, bulks.get("failing").asInt(), bulks.toString());
        assertTrue(bulks.at("/bulks/0/reason").asText().contains("could not be read"), bulks.toString());
        assertTrue(bulks.at("/bulks/0/todo").asText().contains("pep.portal.bulk.give-up-after"), bulks.toString());
        PrometheusText scrape = PrometheusText.parse(pep.get("/observe/metrics").body());
        assertEquals(1, scrape.value("pep_export_bulks", "status", "failing"), 0.0);

        // later runs: bulk 1 is checked again and still fails, new ids go out and their bulk settles
        List<String> second = store.deployed(5);
        JsonNode run2 = upload();
        assertEquals(5, run2.get("count").asInt(), run2.toString());
        assertEquals(5, run2.get("uploaded").asInt(), "bulk 2 settled beside the stuck bulk 1: " + run2);
        assertEquals("settled", bulkOf(second.get(0)).getString("status"));
        assertEquals("pending", bulkOf(first.get(1)).getString("status"));
        assertEquals(2, bulkOf(first.get(1)).get("checkFailures", Number.class).intValue(), "checked again by the next run");
        for (String id : second) {
            assertEquals(1, portal.claims().get(id).get(), id);
        }

        // the report can be read again: bulk 1 settles, nothing was sent twice
        portal.healReports();
        JsonNode run3 = upload();
        assertEquals("finished", run3.get("status").asText(), run3.toString());
        assertEquals(9, run3.get("uploaded").asInt(), run3.toString());
        assertEquals(1, run3.get("failed").asInt(), run3.toString());
        assertEquals(15, portal.idsReceived.get(), "every id sent once");
        assertEquals("settled", bulkOf(first.get(1)).getString("status"));
    }

    @Test
    void aBulkWhoseCheckFailedWaitsForItsBackOffAndTheRunsMeanwhileFinish() throws Exception {
        List<String> ids = store.deployed(3);
        portal.failReport(ids.get(0), 410, null);
        startPep(Map.of());
        assertEquals("failed", upload().get("status").asText());
        store.deployed(2);
        JsonNode next = upload();
        assertEquals("finished", next.get("status").asText(), "bulk 1 waits for its back-off: " + next);
        assertEquals(2, next.get("uploaded").asInt(), next.toString());
        Document bulk1 = bulkOf(ids.get(0));
        assertEquals("pending", bulk1.getString("status"));
        assertTrue(bulk1.get("nextCheckAt", Number.class).longValue() > System.currentTimeMillis(), bulk1.toJson());
    }

    @Test
    void aReportRedirectedToAnotherHostIsReadWithoutTheKey() throws Exception {
        portal.redirectReportsElsewhere();
        List<String> ids = store.deployed(4);
        portal.refuse(ids.get(1), "400", "invalid", "no");
        startPep(Map.of());
        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(1, run.get("failed").asInt(), "the redirected report was read: " + run);
        assertFalse(portal.reportHostAuthorizations.isEmpty());
        assertTrue(portal.reportHostAuthorizations.stream().noneMatch(h -> h.contains(ExportFixtures.API_KEY)),
                portal.reportHostAuthorizations.toString());
    }

    @Test
    void aBulkUnsettledForTooLongIsGivenUpItsIdsSentAgainAndTheOperatorTold() throws Exception {
        List<String> ids = store.deployed(6);
        portal.refuse(ids.get(0), "400", "invalid", "no");
        portal.failReport(ids.get(1), 403, null);
        startPep(Map.of("pep.portal.bulk.give-up-after", "1"));

        JsonNode run1 = upload();
        assertEquals("failed", run1.get("status").asText(), run1.toString());
        assertTrue(run1.get("errors").get(0).asText().contains("pep.portal.bulk.give-up-after"), run1.toString());
        assertEquals("given-up", store.client.getDatabase("mbed_manufacturing_db").getCollection("export_bulks")
                .find().first().getString("status"));
        String failures = pep.get("/v3/exports/failures").body();
        for (String id : ids) {
            assertTrue(failures.contains(id), "listed until uploaded: " + failures);
        }
        assertTrue(failures.contains("was not settled within 1ms"), failures);
        PrometheusText scrape = PrometheusText.parse(pep.get("/observe/metrics").body());
        assertEquals(6, scrape.value("pep_export_ids_total", "kind", "upload", "outcome", "unsettled"), 0.0);
        assertEquals(1, scrape.value("pep_export_bulks", "status", "given_up"), 0.0);
        JsonNode bulks = ExportFixtures.json(pep.get("/dashboard/api/summary").body()).get("exportBulks");
        assertEquals(1, bulks.get("givenUp").asInt(), bulks.toString());
        assertTrue(bulks.at("/bulks/0/todo").asText().contains("sent again"), bulks.toString());

        // sent again: the portal holds five already (duplicates, pep's own earlier send), refuses one
        portal.healReports();
        JsonNode run2 = upload();
        assertEquals("finished", run2.get("status").asText(), run2.toString());
        assertEquals(6, run2.get("count").asInt(), run2.toString());
        assertEquals(5, run2.get("duplicates").asInt(), run2.toString());
        assertEquals(1, run2.get("refused").asInt(), run2.toString());
        JsonNode duplicates = ExportFixtures.json(pep.get("/v3/exports/duplicates").body());
        assertEquals(5, duplicates.size(), duplicates.toString());
        assertTrue(duplicates.get(0).get("sentBefore").asBoolean(), duplicates.toString());
        String stillFailing = pep.get("/v3/exports/failures").body();
        assertFalse(stillFailing.contains(ids.get(1)), "uploaded ids leave the failures: " + stillFailing);
    }
}
