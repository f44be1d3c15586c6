package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.Eventually;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Rework over loopback HTTP: a retired identity stays in the history, its serial is provisioned
 * again with a new identity, and every existing call answers for the current identity only.
 */
class RetireIdentityTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRetiredSerialIsProvisionedAgainWithANewIdentityAndTheHistoryShowsBoth() throws Exception {
        String serial = "rework-1";
        HttpResponse<String> first = provision(serial);
        assertEquals(200, first.statusCode(), first.body());
        String oldId = JSON.readTree(first.body()).path("enrollmentID").asText();

        HttpResponse<String> retired = retire(serial, "new main board after failed EOL test");
        assertEquals(200, retired.statusCode(), retired.body());
        JsonNode entry = JSON.readTree(retired.body());
        assertEquals(oldId, entry.path("enrollmentID").asText());
        assertEquals("retired", entry.path("state").asText());
        assertEquals("new main board after failed EOL test", entry.path("reason").asText());
        assertEquals("no token (access tokens off)", entry.path("retiredBy").asText());
        assertEquals("127.0.0.1", entry.path("retiredFrom").asText());
        assertTrue(entry.path("retiredAt").asLong() > 0, retired.body());

        // retired, not provisioned again: every lookup answers as for an unknown serial
        assertEquals(404, get("/v3/enrollment-id?serialNumber=" + serial).statusCode());
        assertEquals("Not found!", get("/v3/enrollment-id?serialNumber=" + serial).body().strip());
        assertEquals(404, get("/enrollment-id?serialNumber=" + serial).statusCode());
        assertEquals(404, get("/v3/verification-key?serialNumber=" + serial).statusCode());
        assertFalse(get("/v3/enrollment-ids?limit=1000").body().contains(oldId), "a retired identity is not listed");
        assertFalse(get("/v3/enrollment-ids?limit=1000&format=csv").body().contains(oldId));

        HttpResponse<String> again = provision(serial);
        assertEquals(200, again.statusCode(), again.body());
        String newId = JSON.readTree(again.body()).path("enrollmentID").asText();
        assertNotEquals(oldId, newId);
        assertEquals(newId, get("/v3/enrollment-id?serialNumber=" + serial).body());
        assertEquals(409, provision(serial).statusCode(), "provisioned once again: the second request is refused");

        JsonNode history = JSON.readTree(get("/v3/identities/history?serialNumber=" + serial).body());
        assertEquals(2, history.path("identities").size(), history.toString());
        assertEquals(oldId, history.path("identities").get(0).path("enrollmentID").asText());
        assertEquals("retired", history.path("identities").get(0).path("state").asText());
        assertEquals(newId, history.path("identities").get(1).path("enrollmentID").asText());
        assertEquals("deployed", history.path("identities").get(1).path("state").asText());
        assertFalse(history.toString().contains("verificationKey"), history.toString());

        // audited: the attempt log's entry and the metric
        Eventually.await("the retirement in the attempt log", () -> {
            JsonNode attempts = JSON.readTree(get("/v3/attempts?outcome=retired&serialNumber=" + serial).body());
            return attempts.path("results").size() == 1
                    && oldId.equals(attempts.path("results").get(0).path("enrollmentID").asText())
                    && "new main board after failed EOL test".equals(attempts.path("results").get(0).path("reason").asText());
        });
        // the dashboard lists it in the attempt log, but counts it neither as a provisioning nor as a failure
        String summary = Eventually.await("the dashboard has the three provisionings", () -> get("/dashboard/api/summary").body(),
                body -> body.contains("\"conflict\"") && hourTotal(body) >= 3);
        // a retirement counted as a failed provisioning would be a group of its own here
        JsonNode parsed = JSON.readTree(summary);
        assertEquals(0, parsed.at("/lastHour/failed").asInt(), summary);
        assertEquals(0, parsed.at("/lastHour/other").asInt(), summary);
        parsed.get("failureGroups").forEach(group -> assertFalse("retired".equals(group.path("outcome").asText()), summary));
        // the line view shows it as a figure of its own: how many, and the newest with its serial, reason and token
        // (the class's other tests retire on the same pep: this one's is the newest)
        assertTrue(parsed.at("/lastHour/retired").asInt() >= 1, summary);
        assertEquals(serial, parsed.at("/lastHour/lastRetirement/serialNumber").asText(), summary);
        assertEquals("new main board after failed EOL test", parsed.at("/lastHour/lastRetirement/reason").asText(), summary);
        assertEquals("no token (access tokens off)", parsed.at("/lastHour/lastRetirement/retiredBy").asText(), summary);
        assertEquals(oldId, parsed.at("/lastHour/lastRetirement/enrollmentID").asText(), summary);
        // counted by its reason's class: "new main board …" is of none of the configured classes
        assertEquals("other", history.path("identities").get(0).path("reasonClass").asText(), history.toString());
        Eventually.await("pep_identities_retired_total counts it as other",
                () -> get("/observe/metrics").body().lines().anyMatch(l -> l.matches("pep_identities_retired_total\\{.*reason_class=\"other\".*} [1-9].*")));
        String metrics = get("/observe/metrics").body();
        assertTrue(metrics.lines().anyMatch(l -> l.matches("pep_identities_retired_total\\{.*reason_class=\"wrong-config\".*} [0-9.]+")),
                "every configured class is counted from the start: "
                        + metrics.lines().filter(l -> l.startsWith("pep_identities_retired")).toList());
    }

    @Test
    void theRulesOfARetirement() throws Exception {
        assertEquals(200, provision("rework-rules").statusCode());
        assertEquals(400, call("POST", "/v3/identities/retire?serialNumber=rework-rules").statusCode(), "reason required");
        assertEquals(400, retire("rework-rules", "").statusCode());
        assertEquals(400, retire("rework-rules", "   ").statusCode());
        assertEquals(400, retire("rework-rules", "x".repeat(513)).statusCode());
        assertEquals(400, retire("rework-rules", "line\nbreak").statusCode());
        assertEquals(400, call("POST", "/v3/identities/retire?reason=rma").statusCode(), "serial required");

        HttpResponse<String> unknown = retire("rework-never-seen", "rma");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("Not found!", unknown.body().strip());
        assertEquals(404, get("/v3/identities/history?serialNumber=rework-never-seen").statusCode());

        assertEquals(200, retire("rework-rules", "x".repeat(512)).statusCode(), "512 characters are fine");
        HttpResponse<String> twice = retire("rework-rules", "rma");
        assertEquals(409, twice.statusCode(), twice.body());
        assertTrue(twice.body().contains("retired already, at 20"), "names when: " + twice.body());
    }

    @Test
    void aSerialBeingProvisionedRightNowIsNotRetired() throws Exception {
        CompletableFuture<HttpResponse<String>> hanging = CompletableFuture.supplyAsync(() -> provision("hang-rework"));
        Eventually.await("the tool runs for hang-rework", () -> toolLogText().contains("ARG=--serial-number=hang-rework"));
        HttpResponse<String> refused = retire("hang-rework", "rma");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("being provisioned right now"), refused.body());
        assertEquals(504, hanging.get().statusCode());
        assertEquals(404, retire("hang-rework", "rma").statusCode(), "its failed run left nothing to retire");
    }

    @Test
    void aRetirementLeftHalfDoneByADeadPepIsFinishedByTheHeartbeat() throws Exception {
        String serial = "rework-half";
        assertEquals(200, provision(serial).statusCode());
        // what a pep killed between the history insert and the record's removal left, two minutes ago
        org.bson.Document record = identities().find(new org.bson.Document("serialNumber", serial)).first();
        org.bson.Document pending = new org.bson.Document(record).append("state", "retired")
                .append("retiredAt", System.currentTimeMillis() - 120_000).append("retireReason", "rma").append("retirePending", true);
        context.getRegistry().lookupByNameAndType("pepMongo", com.mongodb.client.MongoClient.class)
                .getDatabase("mbed_manufacturing_db").getCollection("identity_history").insertOne(pending);
        assertEquals(200, get("/v3/enrollment-id?serialNumber=" + serial).statusCode(), "not finished yet: still current");

        Eventually.await("the heartbeat finishes the retirement", () -> get("/v3/enrollment-id?serialNumber=" + serial).statusCode() == 404);
        JsonNode history = JSON.readTree(get("/v3/identities/history?serialNumber=" + serial).body());
        assertEquals(1, history.path("identities").size(), history.toString());
        assertEquals("retired", history.path("identities").get(0).path("state").asText());
        assertEquals(200, provision(serial).statusCode(), "the serial is free");
    }

    private static int hourTotal(String summary) {
        try {
            return JSON.readTree(summary).path("lastHour").path("total").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> provision(String serial) {
        return get("/v3/identity?serialNumber=" + q(serial) + "&ip=127.0.0.1&port=7777");
    }

    private HttpResponse<String> retire(String serial, String reason) {
        return call("POST", "/v3/identities/retire?serialNumber=" + q(serial) + "&reason=" + q(reason));
    }
}
