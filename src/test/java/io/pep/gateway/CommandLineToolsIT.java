package io.pep.gateway;

import io.pep.identity.EnrollmentId;
import io.pep.injector.DevelopmentConfig;
import io.pep.injector.DevelopmentConfigFixture;
import io.pep.injector.PepInject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pep-inject and pep-fcc-sim as command lines: their mains in-process, and the launcher once. */
class CommandLineToolsIT extends DevelopmentConfigFixture {

    private static final Pattern ADDRESS_LINE = Pattern.compile("Client IP Address and Port :  127\\.0\\.0\\.1:(\\d+)");

    @Test
    void injectsIntoTheSimulatorMainAndPrintsTheEnrollmentId() throws Exception {
        ByteArrayOutputStream simulatorOutput = new ByteArrayOutputStream();
        Path store = temp.resolve("sim-store");
        CompletableFuture<Integer> simulatorExit = runSimulator(simulatorOutput, "--port", "0", "--store=" + store,
                "--sessions=1");
        int port = awaitPort(simulatorOutput);

        Run run = inject(Map.of("PEP_FCU_CONFIG_DIR", folder.toString()),
                "inject", "--endpoint-name=GW 7", "--serial-number", "GW 7", "tcp", "--ip=127.0.0.1", "--port=" + port);

        assertEquals(PepInject.EXIT_OK, run.exit, run.err);
        String id = EnrollmentId.findInToolOutput(run.out).orElseThrow(() -> new AssertionError(run.out));
        int marker = run.out.indexOf(EnrollmentId.OUTPUT_MARKER) + EnrollmentId.OUTPUT_MARKER.length();
        assertEquals(id, run.out.substring(marker, marker + 97), "the 97 characters after the marker");
        byte[] stored = Files.readAllBytes(store.resolve("pal/WORKING/mbed.BootstrapDeviceCert.der"));
        assertEquals(EnrollmentId.ofCertificate(stored), id);
        assertEquals(0, simulatorExit.get(io.pep.Eventually.PATIENCE.toSeconds(), TimeUnit.SECONDS), "the simulator exits after its one session");
    }

    @Test
    void exitCodesTellUsageConfigConnectionAndRefusalApart() throws Exception {
        assertEquals(PepInject.EXIT_USAGE, inject(Map.of(), "inject", "--endpoint-name=x", "tcp").exit);
        assertEquals(PepInject.EXIT_USAGE, inject(Map.of(), "inject", "--bogus=1").exit);
        assertEquals(PepInject.EXIT_USAGE, inject(Map.of("PEP_INJECT_READ_TIMEOUT_MS", "soon"),
                "inject", "--endpoint-name=x", "--serial-number=x", "tcp", "--ip=127.0.0.1", "--port=1").exit);

        Run noConfig = inject(Map.of("PEP_FCU_CONFIG_DIR", temp.resolve("absent").toString()),
                "inject", "--endpoint-name=x", "--serial-number=x", "tcp", "--ip=127.0.0.1", "--port=1");
        assertEquals(PepInject.EXIT_CONFIG, noConfig.exit);
        assertTrue(noConfig.err.contains("does not exist"), noConfig.err);

        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        assertEquals(PepInject.EXIT_CONNECTION, inject(Map.of(), "inject", "--endpoint-name=x", "--serial-number=x",
                "tcp", "--ip=127.0.0.1", "--port=" + closedPort, "--config-dir=" + folder).exit);

        SimulatorSettings refusing = SimulatorSettings.loopback(null).withFaults(false, false, 0, 14);
        try (FccSimulator simulator = new FccSimulator(refusing).start()) {
            Run refused = inject(Map.of(), "inject", "--endpoint-name=x", "--serial-number=x", "tcp",
                    "--ip=127.0.0.1", "--port=" + simulator.port(), "--config-dir=" + folder);
            assertEquals(PepInject.EXIT_REFUSED, refused.exit);
            assertTrue(refused.err.contains("FCC ReturnStatus: 14 INVALID_LWM2M_CN_ATTR"), refused.err);
            assertTrue(refused.err.contains("FCC InfoMessage: Certificate CN attribute invalid"), refused.err);
        }
    }

    @Test
    void onABadDigestTheSimulatorAnswersNothingAndStopsListeningLikeTheRealFcc() throws Exception {
        ByteArrayOutputStream simulatorOutput = new ByteArrayOutputStream();
        CompletableFuture<Integer> simulatorExit = runSimulator(simulatorOutput, "--port=0", "--store=" + temp.resolve("digest-store"));
        int port = awaitPort(simulatorOutput);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(badDigestFrame());
            assertEquals(-1, socket.getInputStream().read(), "not a byte back, just the close");
        }
        assertEquals(0, simulatorExit.get(io.pep.Eventually.PATIENCE.toSeconds(), TimeUnit.SECONDS), "its one session is over: the simulator exits");
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close(),
                "nothing listens any more");
        assertTrue(simulatorOutput.toString(StandardCharsets.UTF_8).contains("closing without an answer"),
                simulatorOutput.toString(StandardCharsets.UTF_8));
    }

    @Test
    void replyOnBadDigestKeepsTheFrameStatus8AnswerForQa() throws Exception {
        ByteArrayOutputStream simulatorOutput = new ByteArrayOutputStream();
        CompletableFuture<Integer> simulatorExit = runSimulator(simulatorOutput, "--port=0",
                "--store=" + temp.resolve("digest-store-qa"), "--reply-on-bad-digest");
        int port = awaitPort(simulatorOutput);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(badDigestFrame());
            io.pep.injector.ResponseFrame answer = new io.pep.injector.FrameCodec().readResponse(socket.getInputStream());
            assertEquals(io.pep.injector.FrameStatus.INCONSISTENT_SIGNATURE.code(), answer.statusCode());
            assertEquals(-1, socket.getInputStream().read(), "then the close");
        }
        assertEquals(0, simulatorExit.get(io.pep.Eventually.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }

    /** A well-formed request frame whose last digest byte is wrong. */
    private static byte[] badDigestFrame() {
        byte[] frame = new io.pep.injector.FrameCodec().requestFrame(new io.pep.injector.BundleCodec().encode(
                new io.pep.injector.Bundle("0.0.1", null, List.of(), List.of(), List.of(), 0L, null)));
        frame[frame.length - 1] ^= 0x01;
        return frame;
    }

    @Test
    void pepInjectRefusesAnExpiredUpdateAuthCertificateBeforeReachingTheGateway() throws Exception {
        Path expired = temp.resolve("fcu-config-expired");
        DevelopmentConfig.createIfAbsent(expired);
        Files.write(expired.resolve(io.pep.injector.FcuConfig.UPDATE_AUTH_CERTIFICATE),
                io.pep.injector.TestCertificates.expiredDaysAgo("update", 1));
        try (FccSimulator simulator = new FccSimulator(SimulatorSettings.loopback(null)).start()) {
            Run run = inject(Map.of("PEP_FCU_CONFIG_DIR", expired.toString()), "inject", "--endpoint-name=x",
                    "--serial-number=x", "tcp", "--ip=127.0.0.1", "--port=" + simulator.port());
            assertEquals(PepInject.EXIT_CONFIG, run.exit, run.err);
            assertTrue(run.err.contains("the update-auth certificate expired on "), run.err);
            assertTrue(simulator.lastBundle().isEmpty(), "nothing was sent");
        }

        Path soon = temp.resolve("fcu-config-soon");
        DevelopmentConfig.createIfAbsent(soon);
        Files.write(soon.resolve(io.pep.injector.FcuConfig.UPDATE_AUTH_CERTIFICATE),
                io.pep.injector.TestCertificates.expiringInDays("update", 3));
        try (FccSimulator simulator = new FccSimulator(SimulatorSettings.loopback(null)).start()) {
            Run run = inject(Map.of("PEP_FCU_CONFIG_DIR", soon.toString()), "inject", "--endpoint-name=y",
                    "--serial-number=y", "tcp", "--ip=127.0.0.1", "--port=" + simulator.port());
            assertEquals(PepInject.EXIT_OK, run.exit, run.err);
            assertTrue(run.err.contains("the update-auth certificate expires on "), run.err);
        }
    }

    @Test
    void simulatorMainRejectsBadArguments() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, PepFccSim.run(new String[]{"--sessions=2", "--forever"}, stream, stream));
        assertEquals(2, PepFccSim.run(new String[]{"--port=70000"}, stream, stream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port must be"));
    }

    /** The launcher script on the packaged jar (an IT: failsafe runs it after package). */
    @Test
    void launcherRunsTheJar() throws Exception {
        Path jar = Path.of("target/pep.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "target/pep.jar not built (failsafe runs this after package)");
        try (FccSimulator simulator = new FccSimulator(SimulatorSettings.loopback(null)).start()) {
            ProcessBuilder builder = new ProcessBuilder(List.of("bin/pep-inject", "inject", "--endpoint-name=gw-l",
                    "--serial-number=gw-l", "tcp", "--ip=127.0.0.1", "--port=" + simulator.port()))
                    .redirectErrorStream(true);
            builder.environment().put("PEP_FCU_CONFIG_DIR", folder.toString());
            builder.environment().put("PEP_JAR", jar.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            assertTrue(EnrollmentId.findInToolOutput(output).isPresent(), output);
        }
    }

    /** pep-fcc-sim's main on its own thread, its output (both streams) into {@code output}; its exit code. */
    private static CompletableFuture<Integer> runSimulator(ByteArrayOutputStream output, String... args) {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return PepFccSim.run(args, out, out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        });
    }

    private static int awaitPort(ByteArrayOutputStream output) {
        Matcher line = io.pep.Eventually.await("the simulator prints its address line",
                () -> ADDRESS_LINE.matcher(output.toString(StandardCharsets.UTF_8)), Matcher::find);
        return Integer.parseInt(line.group(1));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run inject(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new PepInject(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
