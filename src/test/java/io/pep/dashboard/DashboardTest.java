package io.pep.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The dashboard's routes over real HTTP, with an admin token on (the page itself: test/dashboard/run.sh). */
class DashboardTest extends PepTestSupport {

    static final String ADMIN = "dashboard-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.auth.admin-tokens", ADMIN);
        properties.setProperty("pep.export.csv.enabled", "true");
        properties.setProperty("pep.export.csv.cron", "0 0 0 1 1 ? 2099"); // never fires while the test runs
        properties.setProperty("pep.export.csv.dir", dataDir().resolve("exports").toString());
    }

    @Test
    void rootSendsABrowserToTheDashboardAndAnswersAnythingElseAsBefore() {
        HttpResponse<String> browser = get("/", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertEquals(302, browser.statusCode());
        assertEquals("/dashboard", browser.headers().firstValue("Location").orElse(""));
        HttpResponse<String> curl = get("/");
        assertEquals(404, curl.statusCode());
        assertEquals(DashboardAssets.NOT_FOUND, curl.body(), "Vert.x's own 404 page, as before the route existed");
        assertTrue(curl.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(rawGet("/").startsWith("HTTP/1.1 404 "), "no Accept header at all");
    }

    @Test
    void pageAndItsFilesAreServedFromTheJarAndNothingElse() {
        for (String path : List.of("/dashboard", "/dashboard/")) {
            HttpResponse<String> page = get(path, "text/html");
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.body().contains("/dashboard/assets/dashboard.js"), path);
        }
        assertTrue(get("/dashboard/assets/dashboard.js").headers().firstValue("Content-Type").orElse("")
                .startsWith("text/javascript"));
        assertEquals("no-cache", get("/dashboard/assets/dashboard.js").headers().firstValue("Cache-Control").orElse(""),
                "after an upgrade the browser asks again instead of running yesterday's script");
        assertTrue(get("/dashboard/assets/dashboard.css").headers().firstValue("Content-Type").orElse("")
                .startsWith("text/css"));
        for (String target : List.of("/dashboard/assets/index.html", "/dashboard/assets/..%2findex.html",
                "/dashboard/assets/%2e%2e/%2e%2e/application.properties", "/dashboard/assets/nope.js",
                "/dashboard/assets/dashboard.css?asset=dashboard.js")) {
            String response = rawGet(target);
            if (target.endsWith("?asset=dashboard.js")) {
                assertTrue(response.contains("text/css"), "the file comes from the path, not a query parameter");
                continue;
            }
            String status = response.substring(0, response.indexOf("\r\n"));
            assertTrue(status.contains(" 404 ") || status.contains(" 400 "), target + ": " + status);
            assertFalse(response.contains("camel.main") || response.contains("<!doctype"), target + " leaked a file");
        }
    }

    @Test
    void theFilesNameNoOtherHost() {
        for (String file : List.of("index.html", "dashboard.css", "dashboard.js")) {
            String text = resource("dashboard/" + file)
                    .replace("http://www.w3.org/2000/svg", ""); // the SVG namespace name, never fetched
            assertFalse(text.contains("http://") || text.contains("https://") || text.matches("(?s).*(src|href)=\"//.*"),
                    file + " refers to another host");
            assertFalse(text.contains("@import") || text.contains("url("), file + " loads nothing by itself");
        }
    }

    @Test
    void summaryAndLookupNeedTheAdminTokenAndCheckTheirParameters() throws Exception {
        assertEquals(401, call("/dashboard/api/summary", null).statusCode());
        assertEquals(401, call("/dashboard/api/summary", "not-a-token").statusCode());
        assertEquals(401, call("/dashboard/api/gateway?serialNumber=X", null).statusCode());
        HttpResponse<String> summary = call("/dashboard/api/summary", ADMIN);
        assertEquals(200, summary.statusCode(), summary.body());
        assertEquals(60, JSON.readTree(summary.body()).at("/lastHour/perMinute").size());
        assertEquals("application/json; charset=utf-8", summary.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", summary.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(summary.headers().firstValue("Authorization").isPresent(), "the token is not echoed");
        HttpResponse<String> badWindow = call("/dashboard/api/summary?window=2d", ADMIN);
        assertEquals(400, badWindow.statusCode());
        assertTrue(badWindow.body().contains("'window'"), badWindow.body());
        HttpResponse<String> twice = call("/dashboard/api/summary?window=1h&window=7d", ADMIN);
        assertEquals(400, twice.statusCode());
        HttpResponse<String> noSerial = call("/dashboard/api/gateway", ADMIN);
        assertEquals(400, noSerial.statusCode());
        assertTrue(noSerial.body().contains("'serialNumber'"), noSerial.body());
        HttpResponse<String> nobody = call("/dashboard/api/gateway?serialNumber=NOBODY", ADMIN);
        assertEquals("{\"found\":false}", nobody.body());
        assertEquals("application/json; charset=utf-8", nobody.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void summaryCountsTheAttemptLogAndGroupsABadBatchAsOneReason() throws Exception {
        assertEquals(200, get("/v3/identity?serialNumber=DASH-OK&ip=127.0.0.1&port=7777").statusCode());
        for (String serial : List.of("fail-DASH-1", "fail-DASH-2", "fail-DASH-3")) {
            assertEquals(500, get("/v3/identity?serialNumber=" + serial + "&ip=127.0.0.2&port=7001").statusCode());
        }
        // neither a duplicate (409), a bad request (400) nor a busy pep (503) is a failed provisioning
        assertEquals(409, get("/v3/identity?serialNumber=DASH-OK&ip=127.0.0.1&port=7777").statusCode());
        assertEquals(400, get("/v3/identity?serialNumber=DASH-NO-IP&port=7777").statusCode());
        attemptLog().insertOne(new org.bson.Document("time", new java.util.Date()).append("serialNumber", "DASH-BUSY")
                .append("outcome", "busy").append("status", 503));
        // the attempt log is written just after each answer: poll for it
        JsonNode summary = io.pep.Eventually.await("seven attempts in the summary",
                () -> JSON.readTree(call("/dashboard/api/summary?window=24h", ADMIN).body()),
                seen -> seen.at("/lastHour/total").asInt() >= 7);
        assertEquals(7, summary.at("/lastHour/total").asInt(), summary.toString());
        assertEquals(1, summary.at("/lastHour/ok").asInt());
        assertEquals(3, summary.at("/lastHour/failed").asInt(), "gateway or tool failures");
        assertEquals(1, summary.at("/lastHour/conflict").asInt(), summary.toString());
        assertEquals(1, summary.at("/lastHour/invalid").asInt(), summary.toString());
        assertEquals(1, summary.at("/lastHour/busy").asInt(), summary.toString());
        assertEquals(0, summary.at("/lastHour/other").asInt(), summary.toString());
        assertEquals(0.25, summary.at("/lastHour/successRatio").asDouble(), 1e-9, "1 provisioned of 1 + 3 tool failures");
        List<String> outcomes = new java.util.ArrayList<>();
        summary.get("outcomes").forEach(o -> outcomes.add(o.asText()));
        assertEquals(io.pep.attempts.AttemptOutcome.LOGGED, outcomes, "the dashboard's outcome filter");
        assertTrue(summary.at("/lastHour/p95Ms").asLong() >= summary.at("/lastHour/p50Ms").asLong());
        JsonNode groups = summary.get("failureGroups");
        assertEquals(4, groups.size(), "three serials, one cause; and the 409, 400 and 503: " + groups);
        assertEquals(3, groups.get(0).get("count").asInt());
        assertEquals("tool-failed", groups.get(0).get("outcome").asText());
        assertFalse(groups.get(0).get("reason").asText().contains("fail-DASH-"), groups.toString());
        // the chart and the failure groups weigh outcomes as the success ratio does: 409, 400, 503 are refusals, not failures
        assertEquals("failed", groups.get(0).get("kind").asText(), groups.toString());
        java.util.Map<String, String> kinds = new java.util.TreeMap<>();
        groups.forEach(group -> kinds.put(group.get("outcome").asText(), group.get("kind").asText()));
        assertEquals(java.util.Map.of("tool-failed", "failed", "conflict", "refused", "invalid", "refused", "busy", "refused"),
                kinds, groups.toString());
        java.util.Map<String, Integer> perKind = new java.util.TreeMap<>();
        summary.at("/lastHour/perMinute").forEach(minute -> List.of("ok", "failed", "refused", "other")
                .forEach(kind -> perKind.merge(kind, minute.get(kind).asInt(), Integer::sum)));
        assertEquals(java.util.Map.of("ok", 1, "failed", 3, "refused", 3, "other", 0), perKind, "the chart's bars by kind");
        List<String> refusals = new java.util.ArrayList<>();
        summary.get("refusals").forEach(o -> refusals.add(o.asText()));
        assertEquals(List.of("conflict", "invalid", "busy"), refusals, "the outcomes the attempt list marks grey");
        assertTrue(summary.at("/slots/capacity").asInt() >= 1);
        assertEquals(java.time.LocalDateTime.of(2099, 1, 1, 0, 0).atZone(java.time.ZoneId.systemDefault()).toInstant()
                .toEpochMilli(), summary.at("/exportSchedule/csv/next").asLong(), "the CSV cron's next time");
        assertTrue(summary.at("/exportSchedule/upload/next").isNull(), "uploads are off");

        JsonNode record = JSON.readTree(call("/dashboard/api/gateway?serialNumber=DASH-OK", ADMIN).body());
        assertTrue(record.get("found").asBoolean());
        assertEquals(fakeEnrollmentId("DASH-OK"), record.get("enrollmentID").asText());
        assertFalse(record.has("verificationKey"), "never the verification key");
    }

    private com.mongodb.client.MongoCollection<org.bson.Document> attemptLog() {
        return context.getRegistry().lookupByNameAndType("pepMongo", com.mongodb.client.MongoClient.class)
                .getDatabase("mbed_manufacturing_db").getCollection("provisioning_attempts");
    }

    private HttpResponse<String> call(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DashboardTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
