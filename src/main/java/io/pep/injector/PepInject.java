package io.pep.injector;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pep-inject}: pep's factory tool, a drop-in for FCU's ft_demo in {@code by_tool} mode.
 *
 * <pre>
 * pep-inject inject --endpoint-name=S --serial-number=S tcp --ip=IP --port=P [--config-dir=DIR]
 * pep-inject init-dev-config [--config-dir=DIR]     # writes a DEVELOPMENT-ONLY config if absent
 * </pre>
 *
 * Config folder: {@code $PEP_FCU_CONFIG_DIR}, else {@code --config-dir}, else {@code ./fcu-config}.
 * Timeouts: {@code $PEP_INJECT_CONNECT_TIMEOUT_MS} (default 5000), {@code $PEP_INJECT_READ_TIMEOUT_MS}
 * (default 30000). Success prints {@code enrollment id: A-…} on stdout and exits 0 (ft_demo's
 * contract, SPEC §3). What FCC said is printed in a stable form pep parses (one item a line):
 * <pre>
 * FCC ReturnStatus: 13 EXPIRED_CERTIFICATE      (the number first)
 * FCC InfoMessage: Certificate expired:mbed.UpdateAuthCert
 * FCC WarningInfo: Item not set:mbed.Timezone   (one line per warning, success or not)
 * FCC frame status: 8 INCONSISTENT_SIGNATURE    (only for a non-zero frame status)
 * warning: …                                    (a configuration warning)
 * pep-inject failure: gateway-refused           (unreachable, silent, closed, refused, unreadable)
 * error: gateway refused the bundle: ReturnStatus 13 …  (one line, starting with the kind's words)
 * </pre>
 * Failures go to stderr and exit with a code per kind (below and {@link GatewayFailure}).
 * pep-inject ends itself (exit 9) when the process that started it ends, so a tool run never
 * outlives the pep that started it.
 */
public final class PepInject {

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONFIG = 3;
    /** Gateway unreachable (connect refused or timed out). */
    public static final int EXIT_CONNECTION = GatewayFailure.UNREACHABLE.exitCode();
    public static final int EXIT_REFUSED = GatewayFailure.REFUSED.exitCode();
    public static final int EXIT_PROTOCOL = GatewayFailure.UNREADABLE.exitCode();
    public static final int EXIT_SILENT = GatewayFailure.SILENT.exitCode();
    public static final int EXIT_CLOSED = GatewayFailure.CLOSED.exitCode();
    /** The process that started pep-inject ended (pep crashed or stopped): the run is abandoned. */
    public static final int EXIT_PARENT_GONE = 9;

    static final String USAGE = """
            usage: pep-inject inject --endpoint-name=NAME --serial-number=SERIAL tcp --ip=IP --port=PORT [--config-dir=DIR]
                   pep-inject init-dev-config [--config-dir=DIR]
            config folder: $PEP_FCU_CONFIG_DIR, else --config-dir, else ./fcu-config
            timeouts (ms): $PEP_INJECT_CONNECT_TIMEOUT_MS (default 5000), $PEP_INJECT_READ_TIMEOUT_MS (default 30000)
            exit codes: 0 injected, 2 usage, 3 config folder, 4 gateway unreachable, 5 refused by FCC, 6 unreadable answer,
                        7 gateway silent (read timeout), 8 gateway closed without answering, 9 parent process ended, 1 internal""";

    private static final Set<String> VALUED = Set.of("endpoint-name", "serial-number", "ip", "port", "config-dir");
    private static final Set<String> FLAGS = Set.of("help");

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    public PepInject(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        ParentWatch.exitWhenParentEnds(EXIT_PARENT_GONE);
        System.exit(new PepInject(System.getenv(), System.out, System.err).run(args));
    }

    /** Runs one command and returns the process exit code. */
    public int run(String[] args) {
        CommandLineArguments arguments;
        try {
            arguments = CommandLineArguments.parse(args, VALUED, FLAGS);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (arguments.flag("help")) {
            out.println(USAGE);
            return EXIT_OK;
        }
        List<String> words = arguments.words();
        if (words.equals(List.of("init-dev-config"))) {
            return initDevConfig(configFolder(arguments));
        }
        if (!words.equals(List.of("inject", "tcp"))) {
            return usage("expected the words 'inject … tcp …', got " + words);
        }
        String endpointName;
        String serialNumber;
        String ip;
        int port;
        Duration connectTimeout;
        Duration readTimeout;
        try {
            endpointName = arguments.required("endpoint-name");
            serialNumber = arguments.required("serial-number");
            ip = arguments.required("ip");
            port = (int) CommandLineArguments.parseNumber("--port", arguments.required("port"), 1, 65535);
            connectTimeout = timeout("PEP_INJECT_CONNECT_TIMEOUT_MS", Injector.DEFAULT_CONNECT_TIMEOUT);
            readTimeout = timeout("PEP_INJECT_READ_TIMEOUT_MS", Injector.DEFAULT_READ_TIMEOUT);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        String unreadable = ArgumentEncoding.lossyArgument(List.of(endpointName, serialNumber));
        if (unreadable != null) {
            err.println("error: " + unreadable);
            return EXIT_USAGE;
        }

        Injector injector;
        try {
            FcuConfig config = FcuConfig.load(configFolder(arguments), environment);
            config.warnings().forEach(warning -> err.println("warning: " + warning));
            injector = new Injector(config, connectTimeout, readTimeout);
        } catch (FcuConfigException e) {
            err.println("error: " + e.getMessage());
            return EXIT_CONFIG;
        }

        out.println("Injecting " + serialNumber + " (endpoint " + endpointName + ") to " + ip + ":" + port);
        try {
            InjectionResult result = injector.inject(endpointName, serialNumber, ip, port);
            out.println("FCC ReturnStatus: " + FccReturnStatus.describe(FccReturnStatus.SUCCESS.code()));
            out.println("FCC InfoMessage: " + Injector.oneLine(result.infoMessage()));
            result.warnings().forEach(warning -> out.println("FCC WarningInfo: " + Injector.oneLine(warning)));
            out.println(io.pep.identity.EnrollmentId.OUTPUT_MARKER + result.enrollmentId());
            out.flush();
            return EXIT_OK;
        } catch (InjectionException e) {
            if (e.frameStatus() > 0) {
                err.println("FCC frame status: " + FrameStatus.describe(e.frameStatus()));
            }
            if (e.returnStatus() >= 0) {
                err.println("FCC ReturnStatus: " + FccReturnStatus.describe(e.returnStatus()));
                err.println("FCC InfoMessage: " + Injector.oneLine(e.fccMessage()));
            }
            e.warnings().forEach(warning -> err.println("FCC WarningInfo: " + Injector.oneLine(warning)));
            err.println("pep-inject failure: " + e.kind().label());
            err.println("error: " + e.getMessage());
            return e.kind().exitCode();
        } catch (RuntimeException e) {
            err.println("error: injection failed unexpectedly: " + e);
            return EXIT_INTERNAL;
        }
    }

    private int initDevConfig(Path folder) {
        try {
            DevelopmentConfig.Outcome outcome = DevelopmentConfig.createIfAbsent(folder);
            err.println("WARNING: " + outcome.notice());
            out.println(folder.toAbsolutePath());
            return EXIT_OK;
        } catch (FcuConfigException e) {
            err.println("error: " + e.getMessage());
            return EXIT_CONFIG;
        }
    }

    private Path configFolder(CommandLineArguments arguments) {
        String fromEnvironment = environment.get("PEP_FCU_CONFIG_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Path.of(arguments.option("config-dir").orElse("fcu-config"));
    }

    private Duration timeout(String variable, Duration defaultValue) {
        String text = environment.get(variable);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        return Duration.ofMillis(CommandLineArguments.parseNumber("$" + variable, text, 1, Integer.MAX_VALUE));
    }

    private int usage(String problem) {
        err.println("error: " + problem);
        err.println(USAGE);
        return EXIT_USAGE;
    }
}
