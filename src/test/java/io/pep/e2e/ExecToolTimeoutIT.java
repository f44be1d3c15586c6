package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A gateway that keeps pep-inject waiting past {@code pep.tool.timeout} (its own read timeout
 * being longer): pep kills the process, answers 504, frees the serial, and a retry succeeds.
 */
class ExecToolTimeoutIT extends EndToEndSupport {

    private static final int TOOL_TIMEOUT_MS = 6000;

    @Override
    protected void overrideProperties(Properties properties) {
        ExecProvisioningIT.useLauncher(properties, dataDir().resolve("dev-fcu-config"),
                ",PEP_INJECT_READ_TIMEOUT_MS=120000");
        properties.setProperty("pep.tool.timeout", String.valueOf(TOOL_TIMEOUT_MS));
    }

    @Test
    void gatewaySlowerThanTheToolTimeoutIs504ThenARetrySucceeds() throws Exception {
        FccSimulator stalling = gateway(SimulatorSettings.loopback(null).withFaults(false, false, 120_000, null));
        long started = System.nanoTime();
        HttpResponse<String> response = provision("E2E-HANG-1", stalling.port());
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertFailedAndFreed("E2E-HANG-1", 504, response, "did not finish within " + TOOL_TIMEOUT_MS + " ms",
                "127.0.0.1:" + stalling.port());
        // the gateway stalls for two minutes: an answer well before that is pep's tool timeout
        assertTrue(tookMs < 60_000, "answered at the tool timeout, not after the gateway's stall: " + tookMs + " ms");
        assertRetrySucceeds("E2E-HANG-1");
    }
}
