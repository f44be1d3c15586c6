package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.pep.LogCapture;
import java.util.List;
import java.util.Map;
import org.bson.Document;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Portal uploads that must not lose or repeat ids: per-id refusals counted and retried by policy,
 * a late error report fetched again (not the ids resent), a bulk the portal answered polled by the
 * next run, Retry-After honoured, the operator told in words, the key kept to the portal's host.
 */
class UploadProgressTest extends PortalUploadFixture {

    private LogCapture log;

    @BeforeEach
    void start() {
        log = LogCapture.start("upload-progress");
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Override
    Map<String, String> classSettings() {
        return Map.of("pep.portal.poll.max", "4",
                // a bulk a run could not settle is checked again by the very next run (UnsettledBulkTest: the back-off)
                "pep.portal.bulk.recheck-delay", "0");
    }

    JsonNode upload() throws Exception {
        return ExportFixtures.json(pep.export("/v3/exports/upload").body());
    }

    @Test
    void idsThePortalRefusesAreNotCountedUploadedEvenWhenItsErrorReportIsLate() throws Exception {
        List<String> ids = store.deployed(20);
        portal.refuse(ids.get(3), "400", "validation_error", "enrollment identity rejected");
        portal.refuse(ids.get(7), "400", "validation_error", "rejected: \"not, ours\"");
        portal.reportLag(1); // the first download of each error report: header line only
        startPep(Map.of());

        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(18, run.get("uploaded").asInt(), run.toString());
        assertEquals(2, run.get("failed").asInt(), run.toString());
        assertEquals(1, portal.bulkCount(), "the report was fetched again, the ids not resent");

        String csv = pep.get("/v3/exports/failures?format=csv").body();
        assertTrue(csv.startsWith("enrollmentID,serialNumber,code,error,attempts,status,at\r\n"), csv);
        assertTrue(csv.contains(ids.get(3) + ",") && csv.contains(ids.get(7) + ","), csv);
        assertTrue(csv.contains(",400,400 validation_error: enrollment identity rejected,1,given up,"), csv);
        // the report's quoted message read whole (camel-csv unmarshal), and quoted again in this CSV
        assertTrue(csv.contains(",400,\"400 validation_error: rejected: \"\"not, ours\"\"\",1,given up,"), csv);
        assertEquals(3, csv.split("\r\n", -1).length - 1, "header and two rows, CRLF each: " + csv);
        assertEquals(400, pep.get("/v3/exports/failures?format=xml").statusCode());
    }

    @Test
    void aRetryableRefusalIsSentAgainUpToTheAttemptLimitThenGivenUp() throws Exception {
        List<String> ids = store.deployed(3);
        portal.refuse(ids.get(0), "503", "service_unavailable", "try later");
        startPep(Map.of("pep.portal.retry.max-attempts-per-id", "3"));

        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode run = upload();
            assertEquals(attempt == 1 ? 3 : 1, run.get("count").asInt(), run.toString());
            assertEquals(1, run.get("failed").asInt(), run.toString());
            assertEquals(attempt == 3 ? 1 : 0, run.get("refused").asInt(), run.toString());
        }
        assertEquals(0, upload().get("count").asInt(), "given up after 3 sends");
        assertEquals(1, portal.claims().get(ids.get(1)).get(), "the others were created once");
        assertEquals(1, portal.claims().get(ids.get(2)).get(), "the others were created once");
        assertFalse(portal.claims().containsKey(ids.get(0)));
        Document record = store.records().find(new Document("enrollmentID", ids.get(0))).first();
        assertEquals(3, record.get("uploadAttempts", Number.class).intValue());
        assertTrue(record.getBoolean("uploadRefused"));
    }

    @Test
    void aBulkThePortalAnsweredIsPolledByTheNextRunNotResent() throws Exception {
        List<String> ids = store.deployed(10);
        portal.processingPolls(Integer.MAX_VALUE); // the portal is slow: not completed within pep.portal.poll.max
        startPep(Map.of());
        JsonNode first = upload();
        assertEquals("failed", first.get("status").asText(), first.toString());
        assertTrue(first.get("errors").get(0).asText().contains("its ids stay with it"), first.toString());
        assertEquals(1, portal.bulkCount());

        portal.processingPolls(1);
        portal.refuse(ids.get(0), "400", "invalid", "no");
        portal.reportLag(100); // now its error report cannot be downloaded complete
        JsonNode second = upload();
        assertEquals("failed", second.get("status").asText(), second.toString());
        assertEquals(0, second.get("count").asInt(), "nothing claimed again: " + second);

        portal.reportLag(0);
        JsonNode third = upload();
        assertEquals("finished", third.get("status").asText(), third.toString());
        assertEquals(9, third.get("uploaded").asInt(), third.toString());
        assertEquals(1, third.get("failed").asInt(), third.toString());
        assertEquals(1, portal.bulkCount(), "one bulk upload in all: the ids were sent once");
        assertEquals(10, portal.idsReceived.get());
    }

    @Test
    void aBulkThePortalLostIsSentAgainAndAStatusPollThatKeepsFailingStopsTheRun() throws Exception {
        store.deployed(6);
        portal.processingPolls(Integer.MAX_VALUE);
        startPep(Map.of());
        assertEquals("failed", upload().get("status").asText());
        portal.forgetBulks();
        portal.processingPolls(1);
        JsonNode lost = upload();
        assertTrue(lost.get("errors").toString().contains("does not know bulk upload"), lost.toString());
        JsonNode again = upload();
        assertEquals("finished", again.get("status").asText(), again.toString());
        assertEquals(6, again.get("count").asInt(), again.toString());
        assertEquals(6, again.get("uploaded").asInt(), again.toString());

        // every status poll fails: the run stops with a sentence, the bulk stays pending
        store.deployed(2);
        portal.processingPolls(Integer.MAX_VALUE);
        portal.failShare(0, 0);
        JsonNode stuck = upload();
        assertEquals("failed", stuck.get("status").asText());
        portal.failShare(1.0, 800);
        JsonNode storm = upload();
        assertEquals("failed", storm.get("status").asText(), storm.toString());
        assertTrue(storm.get("errors").get(0).asText().contains("the status request of bulk upload"), storm.toString());
    }

    @Test
    void retryAfterIsHonouredAndAnOperatorReadsWhatHappenedAndWhatHappensNext() throws Exception {
        store.deployed(4);
        portal.tooManyRequests(1, "2");
        startPep(Map.of("pep.portal.retry.max-delay", "5000"));
        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText(), run.toString());
        List<Long> times = portal.uploadTimes();
        assertEquals(2, times.size());
        assertTrue(times.get(1) - times.get(0) >= 1900, "waited the 2 s the portal asked for: " + times);

        // a Retry-After longer than the back-off cap: no hammering, the run stops and says when
        store.deployed(3);
        portal.tooManyRequests(100, "3600");
        JsonNode refused = upload();
        assertEquals("failed", refused.get("status").asText());
        String why = refused.get("errors").get(0).asText();
        assertTrue(why.startsWith("the portal answered 429 Too Many Requests to the bulk upload of 3 ids"), why);
        assertTrue(why.contains("3 ids wait for the next try at "), why);
        assertFalse(why.contains("Exchange[") || why.contains("Multicast") || why.contains("org.apache"), why);
        assertEquals(3, portal.uploadTimes().size(), "one try only");
    }

    @Test
    void aRunStoppedAtItsFirstFileCountsNoSendForTheFilesItNeverSent() throws Exception {
        List<String> ids = store.deployed(10);
        portal.tooManyRequests(100, "3600"); // every file refused with a wait no run sits out
        startPep(Map.of("pep.portal.max-file-bytes", "600")); // a few ids per file
        JsonNode refused = upload();
        assertEquals("failed", refused.get("status").asText(), refused.toString());
        assertEquals(1, portal.uploadTimes().size(), "the first file was tried, the others never went out");
        long counted = store.records().countDocuments(new Document("uploadAttempts", new Document("$exists", true)));
        assertTrue(counted > 0 && counted < ids.size(),
                "a send counted for the tried file's ids only, not for every id the run claimed: " + counted);
    }

    @Test
    void theKeyGoesOnlyToThePortalNotToAReportHostElsewhere() throws Exception {
        portal.reportsElsewhere();
        List<String> ids = store.deployed(5);
        portal.refuse(ids.get(0), "400", "invalid", "no");
        startPep(Map.of());
        JsonNode run = upload();
        assertEquals("finished", run.get("status").asText(), run.toString());
        assertEquals(1, run.get("failed").asInt(), "the report from 127.0.0.2 was read");
        assertFalse(portal.reportHostAuthorizations.isEmpty());
        assertTrue(portal.reportHostAuthorizations.stream().noneMatch(h -> h.contains(ExportFixtures.API_KEY)),
                portal.reportHostAuthorizations.toString());
        assertFalse(pep.get("/v3/exports").body().contains(ExportFixtures.API_KEY));
        assertTrue(log.lines().stream().noneMatch(line -> line.contains(ExportFixtures.API_KEY)));
        assertEquals(0, portal.unauthorized.get(), "the portal itself got the key");
    }

    @Test
    void statusPollsCarryNoClientOptionsAndTheResponseTimeoutHolds() throws Exception {
        store.deployed(2);
        startPep(Map.of());
        assertEquals("finished", upload().get("status").asText());
        assertTrue(portal.requests.stream().anyMatch(r -> r.startsWith("GET /v3/device-enrollments-bulk-uploads/")));
        assertTrue(portal.requests.stream().noneMatch(r -> r.contains("Timeout")), portal.requests.toString());
    }
}
