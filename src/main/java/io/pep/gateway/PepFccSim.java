package io.pep.gateway;

import io.pep.injector.CommandLineArguments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code pep-fcc-sim}: a simulated gateway factory client for labs and tests.
 *
 * <pre>
 * pep-fcc-sim [--host=127.0.0.1] [--port=0] [--store=.] [--sessions=1 | --forever]
 *             [--refuse] [--close-mid-frame] [--delay-ms=N] [--return-status=N] [--reply-on-bad-digest]
 * </pre>
 */
public final class PepFccSim {

    static final String USAGE = """
            usage: pep-fcc-sim [--host=ADDR] [--port=N] [--store=DIR] [--sessions=N | --forever]
                               [--refuse] [--close-mid-frame] [--delay-ms=N] [--return-status=N]
                               [--reply-on-bad-digest]
              --host           address to listen on (default 127.0.0.1; 0.0.0.0 for all)
              --port           TCP port (default 0: a random free port, printed like the real FCC)
              --store          folder that receives pal/WORKING/<item>[.der] (default: current folder)
              --sessions       sessions to serve, then exit (default 1); --forever never exits
            As strict as the real FCC (mbed-cloud-client 4.13.2):
              - a frame whose SHA-256 does not match gets no answer at all: the session ends without a
                byte back (it counts as a session, so with --sessions=1 the simulator then exits);
              - an expired mbed.UpdateAuthCert is refused with ReturnStatus 13
                "Certificate expired:mbed.UpdateAuthCert"; the bootstrap server CA's dates are not checked;
              - of an indefinite-length (chunked) CBOR string only the first chunk is read, so a long
                endpoint name sent chunked arrives truncated (ReturnStatus 14, CN mismatch).
            QA faults: --refuse closes each connection at once; --close-mid-frame sends half an answer;
                       --delay-ms waits before answering; --return-status answers that ReturnStatus;
                       --reply-on-bad-digest answers a bad SHA-256 with frame status 8
                       (INCONSISTENT_SIGNATURE) instead of the real FCC's silence""";

    private static final Set<String> VALUED =
            Set.of("host", "port", "store", "sessions", "delay-ms", "return-status");
    private static final Set<String> FLAGS = Set.of("forever", "refuse", "close-mid-frame", "reply-on-bad-digest", "help");

    private PepFccSim() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        SimulatorSettings settings;
        try {
            CommandLineArguments arguments = CommandLineArguments.parse(args, VALUED, FLAGS);
            if (arguments.flag("help")) {
                out.println(USAGE);
                return 0;
            }
            if (!arguments.words().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + arguments.words().get(0));
            }
            if (arguments.flag("forever") && arguments.option("sessions").isPresent()) {
                throw new IllegalArgumentException("--sessions and --forever exclude each other");
            }
            int sessions = arguments.flag("forever") ? 0 : (int) arguments.number("sessions", 1, 1, Integer.MAX_VALUE);
            Integer forced = arguments.option("return-status")
                    .map(text -> (int) CommandLineArguments.parseNumber("--return-status", text, 0, 255))
                    .orElse(null);
            settings = new SimulatorSettings(arguments.option("host").orElse("127.0.0.1"),
                    (int) arguments.number("port", 0, 0, 65535),
                    Path.of(arguments.option("store").orElse(".")),
                    sessions, arguments.flag("refuse"), arguments.flag("close-mid-frame"),
                    arguments.number("delay-ms", 0, 0, Integer.MAX_VALUE), forced,
                    line -> {
                        out.println(line);
                        out.flush();
                    }, arguments.flag("reply-on-bad-digest"));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (FccSimulator simulator = new FccSimulator(settings)) {
            simulator.start();
            simulator.awaitCompletion();
            return 0;
        } catch (IOException e) {
            err.println("error: cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
            return 3;
        }
    }
}
