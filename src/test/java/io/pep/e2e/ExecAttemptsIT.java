package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The attempt log in exec mode with the real {@code bin/pep-inject}: FCC's ReturnStatus and
 * InfoMessage are read from the tool's output, the exit code tells an absent gateway from a
 * refusing one.
 */
class ExecAttemptsIT extends EndToEndSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrideProperties(Properties properties) {
        ExecProvisioningIT.useLauncher(properties, dataDir().resolve("dev-fcu-config"), ",PEP_INJECT_READ_TIMEOUT_MS=1500");
        properties.setProperty("pep.tool.timeout", "30000");
    }

    @Test
    void refusalAndUnreachableGatewayAreLoggedWithWhatTheToolSaid() throws Exception {
        FccSimulator refusing = gateway(SimulatorSettings.loopback(null).withFaults(false, false, 0, 29));
        assertEquals(500, provision("EA-REFUSED", refusing.port()).statusCode());
        assertEquals(500, provision("EA-UNREACHABLE", freePort()).statusCode());

        JsonNode refused = only("EA-REFUSED");
        assertEquals("gateway-refused", refused.path("outcome").asText(), refused.toString());
        assertEquals(29, refused.path("fccReturnStatus").asInt(), refused.toString());
        assertTrue(refused.path("fccInfoMessage").asText().contains("first to claim"), refused.toString());
        assertEquals(5, refused.path("toolExitCode").asInt(), refused.toString());

        JsonNode unreachable = only("EA-UNREACHABLE");
        assertEquals("gateway-unreachable", unreachable.path("outcome").asText(), unreachable.toString());
        assertEquals(4, unreachable.path("toolExitCode").asInt(), unreachable.toString());
    }

    private JsonNode only(String serial) {
        JsonNode results = io.pep.Eventually.await("an attempt logged for " + serial,
                () -> JSON.readTree(get("/v3/attempts?serialNumber=" + serial).body()).path("results"),
                logged -> logged.size() > 0);
        assertEquals(1, results.size(), serial + ": " + results);
        return results.get(0);
    }
}
