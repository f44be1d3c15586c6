package io.pep.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.e2e.EndToEndSupport;
import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Outcomes that need a gateway, with pep's injector in-process against the FCC simulator: what
 * FCC answered reaches the attempt log (ReturnStatus, InfoMessage), and an absent gateway is told
 * apart from a refusing one.
 */
class GatewayOutcomesTest extends EndToEndSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.mode", "in-process");
        properties.setProperty("pep.inject.connect-timeout", "2000");
        properties.setProperty("pep.inject.read-timeout", "5000");
    }

    @Test
    void fccRefusalUnreachableGatewayAndSuccessAreToldApart() throws Exception {
        FccSimulator refusing = gateway(SimulatorSettings.loopback(null).withFaults(false, false, 0, 29));
        HttpResponse<String> refused = provision("GO-REFUSED", refusing.port());
        assertEquals(500, refused.statusCode(), refused.body());
        int closedPort = freePort();
        assertEquals(500, provision("GO-UNREACHABLE", closedPort).statusCode());
        FccSimulator healthy = healthyGateway();
        assertEquals(200, provision("GO-OK", healthy.port()).statusCode());

        JsonNode refusal = only("GO-REFUSED");
        assertEquals("gateway-refused", refusal.path("outcome").asText(), refusal.toString());
        assertEquals(29, refusal.path("fccReturnStatus").asInt(), refusal.toString());
        assertTrue(refusal.path("fccInfoMessage").asText().length() > 0, refusal.toString());
        assertEquals(refusing.port(), refusal.path("port").asInt());

        JsonNode unreachable = only("GO-UNREACHABLE");
        assertEquals("gateway-unreachable", unreachable.path("outcome").asText(), unreachable.toString());
        assertTrue(unreachable.path("fccReturnStatus").isMissingNode(), "FCC never answered");

        JsonNode ok = only("GO-OK");
        assertEquals("ok", ok.path("outcome").asText());
        assertEquals(200, ok.path("status").asInt());
        assertTrue(ok.path("reason").isMissingNode());
    }

    @Test
    void aGatewayThatAcceptsAndNeverAnswersIsLoggedSilent() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // held open, never answered
                    }
                } catch (java.io.IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (java.io.IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HttpResponse<String> answer = provision("GO-SILENT", silent.getLocalPort());
            assertEquals(504, answer.statusCode(), answer.body());
            JsonNode attempt = only("GO-SILENT");
            assertEquals("gateway-silent", attempt.path("outcome").asText(), attempt.toString());
            assertEquals(504, attempt.path("status").asInt());
        }
    }

    /** The one attempt logged for a serial (written just after the answer: polled). */
    private JsonNode only(String serial) {
        JsonNode results = io.pep.Eventually.await("an attempt logged for " + serial,
                () -> JSON.readTree(get("/v3/attempts?serialNumber=" + serial).body()).path("results"),
                logged -> logged.size() > 0);
        assertEquals(1, results.size(), serial + ": " + results);
        return results.get(0);
    }
}
