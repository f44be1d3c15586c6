package io.pep.e2e;

import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * GET /v3/identity end to end against simulated gateways, whatever the factory tool: success,
 * and every way a gateway can fail a provisioning (refusing the bundle, dropping the connection,
 * not listening, answering too late), each ending in an error answer, no record, and a retry of
 * the same serial that succeeds once the gateway is healthy.
 *
 * <p>Subclasses set {@code pep.tool.mode} and a short injector read timeout ({@link #readTimeoutMs()}).
 */
public abstract class ProvisioningScenarios extends EndToEndSupport {

    /** The injector's read timeout the subclass configured. */
    protected abstract long readTimeoutMs();

    @Test
    void provisionsASimulatedGatewayAndRecordsTheEnrollmentIdOfTheCertificateItStored() throws Exception {
        FccSimulator gateway = healthyGateway();
        assertProvisioned("E2E-OK-1", provision("E2E-OK-1", gateway.port()), gateway);
        // the root path and a serial with characters a shell or a URL would mangle
        String odd = "E2E 2/ü+&$(x)";
        FccSimulator another = healthyGateway();
        assertProvisioned(odd, get("/identity?serialNumber=" + q(odd) + "&ip=127.0.0.1&port=" + another.port()),
                another);
    }

    @Test
    void gatewayAnsweringANonZeroReturnStatusIs500ThenARetrySucceeds() throws Exception {
        FccSimulator refusing = gateway(SimulatorSettings.loopback(null).withFaults(false, false, 0, 29));
        HttpResponse<String> response = provision("E2E-RS-1", refusing.port());
        assertFailedAndFreed("E2E-RS-1", 500, response, "127.0.0.1:" + refusing.port());
        assertRetrySucceeds("E2E-RS-1");
    }

    @Test
    void gatewayClosingRightAfterConnectIs500ThenARetrySucceeds() throws Exception {
        FccSimulator closing = gateway(SimulatorSettings.loopback(null).withFaults(true, false, 0, null));
        assertFailedAndFreed("E2E-CLOSE-1", 500, provision("E2E-CLOSE-1", closing.port()),
                "127.0.0.1:" + closing.port());
        assertRetrySucceeds("E2E-CLOSE-1");
    }

    @Test
    void gatewayClosingInTheMiddleOfItsAnswerIs500ThenARetrySucceeds() throws Exception {
        FccSimulator halfAnswer = gateway(SimulatorSettings.loopback(null).withFaults(false, true, 0, null));
        assertFailedAndFreed("E2E-MID-1", 500, provision("E2E-MID-1", halfAnswer.port()),
                "127.0.0.1:" + halfAnswer.port());
        assertRetrySucceeds("E2E-MID-1");
    }

    @Test
    void nothingListeningOnThePortIs500ThenARetrySucceeds() throws Exception {
        int closedPort = freePort();
        assertFailedAndFreed("E2E-NOFCC-1", 500, provision("E2E-NOFCC-1", closedPort), "127.0.0.1:" + closedPort);
        assertRetrySucceeds("E2E-NOFCC-1");
    }

    @Test
    void gatewaySlowerThanTheReadTimeoutIs500ThenARetrySucceeds() throws Exception {
        FccSimulator slow = gateway(SimulatorSettings.loopback(null).withFaults(false, false, readTimeoutMs() * 3, null));
        long started = System.nanoTime();
        HttpResponse<String> response = provision("E2E-SLOW-1", slow.port());
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertFailedAndFreed("E2E-SLOW-1", 500, response, "127.0.0.1:" + slow.port());
        org.junit.jupiter.api.Assertions.assertTrue(tookMs < readTimeoutMs() * 3,
                "gave up at the read timeout, not after the gateway's delay: " + tookMs + " ms");
        assertRetrySucceeds("E2E-SLOW-1");
    }
}
