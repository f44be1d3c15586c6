package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** GET /v3/identity end to end: REST → Mongo reservation → camel-exec factory tool → record. */
class ProvisioningApiTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> provision(String serialNumber, String extra) {
        return get("/v3/identity?serialNumber=" + q(serialNumber) + "&ip=127.0.0.1&port=7777" + extra);
    }

    @Test
    void provisionsAGatewayAndAnswersItsIdentity() throws Exception {
        HttpResponse<String> response = provision("SN-OK-1", "");

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode identity = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        identity.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("serialNumber", "deployed", "hardwareVersion", "radioConfig", "ledConfig", "category",
                "cloudAddress", "apiAddress", "gatewayServicesAddress", "enrollmentID", "createdAt"), fields);
        assertEquals("SN-OK-1", identity.get("serialNumber").asText());
        assertTrue(identity.get("deployed").asBoolean());
        assertEquals("izuma-edge-gateway", identity.get("hardwareVersion").asText());
        assertEquals("00", identity.get("radioConfig").asText());
        assertEquals("01", identity.get("ledConfig").asText());
        assertEquals("production", identity.get("category").asText());
        assertEquals("https://api.us-east-1.mbedcloud.com", identity.get("apiAddress").asText());
        assertEquals("https://gateways.us-east-1.mbedcloud.com", identity.get("gatewayServicesAddress").asText());
        assertEquals(identity.get("gatewayServicesAddress"), identity.get("cloudAddress"));
        assertEquals(fakeEnrollmentId("SN-OK-1"), identity.get("enrollmentID").asText());
        assertTrue(identity.get("createdAt").asLong() > 1_700_000_000_000L);
        // byte for byte as the original answered (SPEC §1): compact JSON, UTF-8
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"serialNumber\":\"SN-OK-1\",\"deployed\":true,\"hardwareVersion\":\"izuma-edge-gateway\","
                + "\"radioConfig\":\"00\",\"ledConfig\":\"01\",\"category\":\"production\","
                + "\"cloudAddress\":\"https://gateways.us-east-1.mbedcloud.com\",\"apiAddress\":\"https://api.us-east-1.mbedcloud.com\","
                + "\"gatewayServicesAddress\":\"https://gateways.us-east-1.mbedcloud.com\",\"enrollmentID\":\""
                + fakeEnrollmentId("SN-OK-1") + "\",\"createdAt\":" + identity.get("createdAt").asLong() + "}", response.body());

        Document record = identities().find(Filters.eq("serialNumber", "SN-OK-1")).first();
        assertEquals(true, record.getBoolean("deployed"));
        assertEquals(fakeEnrollmentId("SN-OK-1"), record.getString("enrollmentID"));
        assertFalse(record.toJson().toLowerCase().contains("certificate"), "no certificate is stored");
        assertFalse(record.containsKey("ip") || record.containsKey("port"));
    }

    @Test
    void rootPathServesTheSameOperation() {
        HttpResponse<String> response = get("/identity?serialNumber=SN-ROOT&ip=127.0.0.1&port=7777");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(fakeEnrollmentId("SN-ROOT"), identities().find(Filters.eq("serialNumber", "SN-ROOT")).first()
                .getString("enrollmentID"));
    }

    @Test
    void storesGivenConfigurationAndKeepsTheVerificationKeyOutOfTheAnswer() throws Exception {
        HttpResponse<String> response = provision("SN-CONF", "&apiAddress=" + q("https://api.example.com")
                + "&gatewayServicesAddress=" + q("https://gw.example.com") + "&hardwareVersion=rpi4&radioConfig=07"
                + "&ledConfig=02&category=development&verificationKey=" + q("9a3f1e-2b7c/1c7f4d-35a4e900"));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode identity = JSON.readTree(response.body());
        assertNull(identity.get("verificationKey"));
        assertEquals("https://gw.example.com", identity.get("cloudAddress").asText());
        assertEquals("development", identity.get("category").asText());
        Document record = identities().find(Filters.eq("serialNumber", "SN-CONF")).first();
        assertEquals("rpi4", record.getString("hardwareVersion"));
        assertEquals("07", record.getString("radioConfig"));
        assertEquals("02", record.getString("ledConfig"));
        assertEquals("https://api.example.com", record.getString("apiAddress"));
        assertEquals("9a3f1e-2b7c/1c7f4d-35a4e900", record.getString("verificationKey"));
        assertEquals("9a3f1e-2b7c/1c7f4d-35a4e900", get("/v3/verification-key?serialNumber=SN-CONF").body());
    }

    @Test
    void aSerialIsProvisionedOnceThen409() {
        assertEquals(200, provision("SN-TWICE", "").statusCode());
        HttpResponse<String> again = provision("SN-TWICE", "&hardwareVersion=other");

        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("SN-TWICE"), again.body());
        assertEquals(1, identities().countDocuments(Filters.eq("serialNumber", "SN-TWICE")));
        assertEquals("izuma-edge-gateway", identities().find(Filters.eq("serialNumber", "SN-TWICE")).first()
                .getString("hardwareVersion"));
    }

    @Test
    void toolFailureRemovesTheReservationSoTheSerialCanBeRetried() {
        HttpResponse<String> first = provision("fail-1", "");
        assertEquals(500, first.statusCode());
        assertTrue(first.body().contains("127.0.0.1:7777"), "tells the operator where FCC should run: " + first.body());
        assertFalse(first.body().contains("connection refused"), "the tool's output stays in the log");
        assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", "fail-1")));

        HttpResponse<String> retry = provision("fail-1", "");
        assertEquals(500, retry.statusCode(), "a retry runs the tool again instead of answering 409");
    }

    @Test
    void outputWithoutAValidEnrollmentIdIsAFailure() {
        for (String serial : List.of("garbage-1", "badid-1")) {
            HttpResponse<String> response = provision(serial, "");
            assertEquals(500, response.statusCode(), serial);
            assertTrue(response.body().contains("no valid enrollment id"), response.body());
            assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", serial)));
        }
    }

    @Test
    void aHangingToolIsKilledAnswers504AndLeavesNothing() {
        HttpResponse<String> response = provision("hang-1", "");

        assertEquals(504, response.statusCode(), response.body());
        assertTrue(response.body().contains("did not finish within " + TOOL_TIMEOUT_MS + " ms"), response.body());
        assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", "hang-1")));
    }

    @Test
    void valuesReachTheToolAsLiteralArgumentsNeverThroughAShell() throws Exception {
        Path marker = dataDir().resolve("pwned");
        String serial = "SN $(touch " + marker + ");`touch " + marker + "`|&>x 'q\"";

        HttpResponse<String> response = provision(serial, "&hardwareVersion=" + q("$(touch " + marker + ")"));

        assertEquals(200, response.statusCode(), response.body());
        assertFalse(Files.exists(marker), "nothing was executed");
        String log = toolLogText();
        assertTrue(log.contains("ARG=--serial-number=" + serial + "\n"), log);
        assertTrue(log.contains("ARG=--endpoint-name=" + serial + "\n"), log);
        assertTrue(log.contains("ARG=--ip=127.0.0.1\nARG=--port=7777\n"), log);
        assertTrue(log.contains("ENV_FCU_HOME_DIR=/opt/fcu-package"), "pep.tool.env reaches the tool: " + log);
        Document record = identities().find(Filters.eq("serialNumber", serial)).first();
        assertEquals("$(touch " + marker + ")", record.getString("hardwareVersion"));
    }

    @Test
    void theOldClientsRequestShapeIsServed() {
        // pep-cli v2.6.1 built "identity?&hardwareVersion=…&ip=…&port=…" and let curl -G append the
        // URL-encoded rest, including a placeholder verificationKey when -k was not given
        HttpResponse<String> response = get("/v3/identity?&hardwareVersion=arm-pelion-edge-gateway&radioConfig=00"
                + "&ledConfig=01&category=production&ip=127.0.0.1&port=7777&serialNumber=OLD+CLI%201"
                + "&apiAddress=https%3A%2F%2Fapi.us-east-1.mbedcloud.com"
                + "&gatewayServicesAddress=https%3A%2F%2Fgateways.us-east-1.mbedcloud.com"
                + "&verificationKey=verification-key-does-not-exist");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(fakeEnrollmentId("OLD CLI 1"), get("/v3/enrollment-id?serialNumber=OLD%20CLI%201").body());
        assertEquals(200, get("/v3/enrollment-ids?order=DESC&limit=50&last=").statusCode(), "an empty last is no cursor");
    }

    @Test
    void ipv6GatewaysAreServed() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=SN-V6&ip=" + q("fe80::1:2") + "&port=7777");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(toolLogText().contains("ARG=--ip=fe80::1:2\n"));
    }

    @Test
    void concurrentRequestsForOneSerialProvisionItExactlyOnce() throws Exception {
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                calls.add(() -> provision("SN-RACE", "").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Iterator<Future<Integer>> it = pool.invokeAll(calls).iterator(); it.hasNext(); ) {
                statuses.add(it.next().get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(clients - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, identities().countDocuments(Filters.eq("serialNumber", "SN-RACE")));
        assertEquals(1, toolLogText().lines().filter(l -> l.equals("ARG=--serial-number=SN-RACE")).count(),
                "the factory tool ran once");
    }
}
