package io.pep.observe;

import static io.pep.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metrics and the attempt log over real HTTP: counters move by exactly the requests sent, and
 * every attempt, accepted or refused, is in /v3/attempts once with its outcome.
 */
class MetricsAndAttemptsTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyAttemptIsCountedAndLoggedOnceWithItsOutcome() throws Exception {
        PrometheusText before = scrape();
        for (String outcome : io.pep.attempts.AttemptOutcome.ALL) {
            assertTrue(before.samples().containsKey(PrometheusText.key("pep_provisionings_total", Map.of("outcome", outcome))),
                    "counted at 0 before any attempt: " + outcome);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        statuses.put("MA-OK-1", send("/v3/identity?serialNumber=MA-OK-1&ip=127.0.0.1&port=7777"));
        expected.put("MA-OK-1", "ok");
        statuses.put("MA-OK-2", send("/identity?serialNumber=MA-OK-2&ip=127.0.0.1&port=7777"));
        expected.put("MA-OK-2", "ok");
        statuses.put("fail-MA-1", send("/v3/identity?serialNumber=fail-MA-1&ip=127.0.0.1&port=7777"));
        expected.put("fail-MA-1", "tool-failed");
        statuses.put("MA-INVALID", send("/v3/identity?serialNumber=MA-INVALID&port=7777"));
        expected.put("MA-INVALID", "invalid");
        statuses.put("hang-MA-1", send("/v3/identity?serialNumber=hang-MA-1&ip=127.0.0.1&port=7777"));
        expected.put("hang-MA-1", "tool-timeout");
        int conflict = send("/v3/identity?serialNumber=MA-OK-1&ip=127.0.0.1&port=7777");
        assertEquals(Map.of("MA-OK-1", 200, "MA-OK-2", 200, "fail-MA-1", 500, "MA-INVALID", 400, "hang-MA-1", 504),
                statuses);
        assertEquals(409, conflict);

        Map<String, Integer> byOutcome = Map.of("ok", 2, "tool-failed", 1, "invalid", 1, "tool-timeout", 1, "conflict", 1);
        await("counters", () -> delta(before, scrape(), "ok") == 2 && delta(before, scrape(), "conflict") == 1);
        PrometheusText after = scrape();
        for (String outcome : io.pep.attempts.AttemptOutcome.ALL) {
            assertEquals(byOutcome.getOrDefault(outcome, 0), (int) delta(before, after, outcome), outcome);
        }
        assertEquals(6, after.value("pep_provisioning_duration_seconds_count")
                - before.value("pep_provisioning_duration_seconds_count"), 0.0);
        assertEquals("histogram", after.types().get("pep_provisioning_duration_seconds"));
        assertTrue(after.value("pep_provisioning_duration_seconds_bucket", "le", "+Inf") >= 6);
        assertEquals(8, after.value("pep_tool_slots_capacity"), 0.0);
        assertEquals(0, after.value("pep_tool_slots_in_use"), 0.0);
        assertTrue(after.has("pep_store_operation_seconds_count"), "store latency is measured");

        // the attempt log: each once, newest first, with the right outcome
        await("six attempts written", () -> attempts("").path("results").size() >= 6);
        JsonNode page = attempts("");
        assertEquals(6, page.path("results").size(), page.toString());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (JsonNode attempt : page.path("results")) {
            seen.merge(attempt.path("serialNumber").asText() + "/" + attempt.path("outcome").asText(), 1, Integer::sum);
            assertFalse(attempt.has("verificationKey") || attempt.has("enrollmentID"), attempt.toString());
            long durationMs = attempt.path("durationMs").asLong();
            assertTrue(durationMs >= 0 && durationMs < 120_000, "from the request's arrival: " + attempt);
            assertEquals("127.0.0.1", attempt.path("client").asText(), attempt.toString());
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        expected.forEach((serial, outcome) -> wanted.put(serial + "/" + outcome, 1));
        wanted.put("MA-OK-1/conflict", 1);
        assertEquals(new java.util.TreeMap<>(wanted), new java.util.TreeMap<>(seen));
        assertEquals("conflict", page.at("/results/0/outcome").asText(), "newest first");

        JsonNode timeout = attempts("?serialNumber=hang-MA-1").at("/results/0");
        assertEquals(504, timeout.path("status").asInt());
        assertTrue(timeout.path("durationMs").asLong() >= TOOL_TIMEOUT_MS, "the duration spans the tool's timeout: " + timeout);
        assertTrue(timeout.path("reason").asText().contains("did not finish"), timeout.toString());
        JsonNode failed = attempts("?outcome=tool-failed").path("results");
        assertEquals(1, failed.size());
        assertEquals(1, failed.at("/0/toolExitCode").asInt());
        assertEquals(7777, failed.at("/0/port").asInt());

        // paging and CSV
        JsonNode first = attempts("?limit=4");
        assertEquals(4, first.path("results").size());
        String next = first.at("/_links/next/href").asText();
        JsonNode second = JSON.readTree(get(next).body());
        assertEquals(2, second.path("results").size());
        HttpResponse<String> csv = get("/attempts?format=csv&outcome=ok");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals(3, csv.body().strip().lines().count(), csv.body());
        assertTrue(csv.body().startsWith("time,serialNumber,ip,port,client,outcome,status,"), csv.body());

        assertEquals(400, get("/v3/attempts?outcome=nonsense").statusCode());
        assertEquals(400, get("/v3/attempts?since=yesterday").statusCode());
        assertEquals(0, attempts("?since=" + (System.currentTimeMillis() + 60_000)).path("results").size());
    }

    private int send(String target) {
        return get(target).statusCode();
    }

    private JsonNode attempts(String query) {
        try {
            HttpResponse<String> response = get("/v3/attempts" + query);
            assertEquals(200, response.statusCode(), response.body());
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private PrometheusText scrape() {
        HttpResponse<String> response = get("/observe/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        return PrometheusText.parse(response.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String outcome) {
        return after.value("pep_provisionings_total", "outcome", outcome)
                - before.value("pep_provisionings_total", "outcome", outcome);
    }
}
