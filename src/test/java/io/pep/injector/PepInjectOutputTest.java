package io.pep.injector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import io.pep.identity.EnrollmentId;
import io.pep.provisioning.FactoryToolReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pep-inject's output contract with pep (exec mode): FCC's ReturnStatus, InfoMessage and
 * WarningInfo on stable lines, the enrollment id line of ft_demo, and a distinct exit code and
 * {@code pep-inject failure:} word per failure kind, which {@link FactoryToolReport} reads back.
 */
class PepInjectOutputTest extends DevelopmentConfigFixture {

    @Test
    void successPrintsWhatFccSaidAndTheEnrollmentIdLine() throws Exception {
        try (FccSimulator gateway = new FccSimulator(SimulatorSettings.loopback(null)).start()) {
            Run run = inject(gateway.port(), Map.of());
            assertEquals(PepInject.EXIT_OK, run.exit, run.err);
            assertTrue(run.out.contains("\nFCC ReturnStatus: 0 SUCCESS\n"), run.out);
            assertTrue(run.out.contains("\nFCC InfoMessage: The Factory process succeeded\n"), run.out);
            assertTrue(EnrollmentId.findInToolOutput(run.out).isPresent(), run.out);
            FactoryToolReport report = FactoryToolReport.parse(run.out + run.err);
            assertEquals(0, report.returnStatus());
            assertTrue(report.kind().isEmpty());
        }
    }

    @Test
    void aRefusalNamesReturnStatusAndInfoMessage() throws Exception {
        try (FccSimulator gateway = fault(false, false, 0, 13)) {
            Run run = inject(gateway.port(), Map.of());
            assertEquals(PepInject.EXIT_REFUSED, run.exit);
            String info = gateway.lastResponse().orElseThrow().infoMessage().strip();
            assertTrue(run.err.contains("FCC ReturnStatus: 13 EXPIRED_CERTIFICATE\n"), run.err);
            assertTrue(run.err.contains("FCC InfoMessage: " + info + "\n"), run.err);
            assertTrue(run.err.contains("pep-inject failure: gateway-refused\n"), run.err);
            assertTrue(run.err.contains("error: gateway refused the bundle: ReturnStatus 13 " + info), run.err);
            FactoryToolReport report = FactoryToolReport.parse(run.out + run.err);
            assertEquals(GatewayFailure.REFUSED, report.kind().orElseThrow());
            assertEquals(13, report.returnStatus());
            assertEquals(info, report.infoMessage());
        }
    }

    @Test
    void eachWayOfFailingHasItsOwnExitCodeAndWord() throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        assertKind(inject(closedPort, Map.of()), GatewayFailure.UNREACHABLE, "gateway unreachable: cannot connect");
        try (FccSimulator silent = fault(false, false, 5000, null)) {
            assertKind(inject(silent.port(), Map.of("PEP_INJECT_READ_TIMEOUT_MS", "300")), GatewayFailure.SILENT,
                    "gateway silent: the factory client at 127.0.0.1:" + silent.port()
                            + " accepted the connection but did not answer within 300 ms");
        }
        try (FccSimulator closing = fault(true, false, 0, null)) {
            assertKind(inject(closing.port(), Map.of()), GatewayFailure.CLOSED,
                    "gateway closed the connection without answering");
        }
        try (FccSimulator halfAnswer = fault(false, true, 0, null)) {
            assertKind(inject(halfAnswer.port(), Map.of()), GatewayFailure.UNREADABLE, "gateway sent an unreadable answer");
        }
    }

    private static void assertKind(Run run, GatewayFailure kind, String errorStart) {
        assertEquals(kind.exitCode(), run.exit, run.err);
        assertTrue(run.err.contains("pep-inject failure: " + kind.label() + "\n"), run.err);
        assertTrue(run.err.contains("error: " + errorStart), run.err);
        assertEquals(kind, FactoryToolReport.parse(run.out + run.err).kind().orElseThrow());
    }

    private static FccSimulator fault(boolean refuse, boolean closeMidFrame, long delayMs, Integer returnStatus)
            throws Exception {
        return new FccSimulator(SimulatorSettings.loopback(null).withFaults(refuse, closeMidFrame, delayMs, returnStatus))
                .start();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run inject(int port, Map<String, String> environment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new PepInject(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[]{"inject", "--endpoint-name=gw-o",
                "--serial-number=gw-o", "tcp", "--ip=127.0.0.1", "--port=" + port, "--config-dir=" + folder});
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
