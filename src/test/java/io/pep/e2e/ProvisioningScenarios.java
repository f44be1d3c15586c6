package io.pep.e2e;

import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * GET /v3/identity end to end against simulated gateways, whatever the factory tool: success,
 * and every way a gateway can fail a provisioning (refusing the bundle, dropping the connection,
 * not listening, answering too late), each ending in the same answer in exec and in-process mode
 * (status and stable words of docs/gateway-errors.md, FCC's ReturnStatus and InfoMessage when it
 * refused), no record, and a retry of the same serial that succeeds once the gateway is healthy.
 *
 * <p>Subclasses set {@code pep.tool.mode} and a short injector read timeout ({@link #readTimeoutMs()}).
 */
public abstract class ProvisioningScenarios extends EndToEndSupport {

    /** The injector's read timeout the subclass configured. */
    protected abstract long readTimeoutMs();

    private static final long GATEWAY_STALL_MS = 60_000;

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
    void gatewayAnsweringANonZeroReturnStatusIs500NamingItThenARetrySucceeds() throws Exception {
        FccSimulator refusing = gateway(SimulatorSettings.loopback(null).withFaults(false, false, 0, 13));
        HttpResponse<String> response = provision("E2E-RS-1", refusing.port());
        String infoMessage = refusing.lastResponse().orElseThrow().infoMessage().strip();
        assertFailedAndFreed("E2E-RS-1", 500, response, "127.0.0.1:" + refusing.port(),
                "gateway refused the bundle: ReturnStatus 13 " + infoMessage);
        assertNoRunningHint(response);
        assertRetrySucceeds("E2E-RS-1");
    }

    @Test
    void gatewayClosingRightAfterConnectIs500ClosedThenARetrySucceeds() throws Exception {
        FccSimulator closing = gateway(SimulatorSettings.loopback(null).withFaults(true, false, 0, null));
        HttpResponse<String> response = provision("E2E-CLOSE-1", closing.port());
        assertFailedAndFreed("E2E-CLOSE-1", 500, response,
                "gateway closed the connection without answering", "127.0.0.1:" + closing.port());
        assertNoRunningHint(response);
        assertRetrySucceeds("E2E-CLOSE-1");
    }

    @Test
    void gatewayClosingInTheMiddleOfItsAnswerIs500UnreadableThenARetrySucceeds() throws Exception {
        FccSimulator halfAnswer = gateway(SimulatorSettings.loopback(null).withFaults(false, true, 0, null));
        assertFailedAndFreed("E2E-MID-1", 500, provision("E2E-MID-1", halfAnswer.port()),
                "gateway sent an unreadable answer", "127.0.0.1:" + halfAnswer.port());
        assertRetrySucceeds("E2E-MID-1");
    }

    @Test
    void nothingListeningOnThePortIs500UnreachableWithTheHintThenARetrySucceeds() throws Exception {
        int closedPort = freePort();
        assertFailedAndFreed("E2E-NOFCC-1", 500, provision("E2E-NOFCC-1", closedPort),
                "gateway unreachable: cannot connect to the factory client at 127.0.0.1:" + closedPort,
                "Make sure the factory client (FCC, fcc-example) is running on the gateway at 127.0.0.1:" + closedPort);
        assertRetrySucceeds("E2E-NOFCC-1");
    }

    @Test
    void gatewaySlowerThanTheReadTimeoutIs504SilentThenARetrySucceeds() throws Exception {
        // the gateway stalls for a minute: an answer before that is pep giving up at its read timeout
        FccSimulator slow = gateway(SimulatorSettings.loopback(null).withFaults(false, false, GATEWAY_STALL_MS, null));
        long started = System.nanoTime();
        HttpResponse<String> response = provision("E2E-SLOW-1", slow.port());
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertFailedAndFreed("E2E-SLOW-1", 504, response, "gateway silent: the factory client at 127.0.0.1:"
                + slow.port() + " accepted the connection but did not answer within " + readTimeoutMs() + " ms");
        assertNoRunningHint(response);
        org.junit.jupiter.api.Assertions.assertTrue(tookMs < GATEWAY_STALL_MS,
                "gave up at the read timeout, not after the gateway's delay: " + tookMs + " ms");
        assertRetrySucceeds("E2E-SLOW-1");
    }

    /** The "is FCC running?" hint is for gateways that could not be reached, not for these. */
    protected static void assertNoRunningHint(HttpResponse<String> response) {
        org.junit.jupiter.api.Assertions.assertFalse(response.body().contains("Make sure the factory client"),
                response.body());
    }
}
