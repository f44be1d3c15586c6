package io.pep;

import io.pep.api.ApiConfiguration;
import io.pep.attempts.AttemptsConfiguration;
import io.pep.auth.AuthConfiguration;
import io.pep.auth.TlsConfiguration;
import io.pep.config.ExportConfiguration;
import io.pep.config.FcuToolConfiguration;
import io.pep.config.HttpServerConfiguration;
import io.pep.config.InjectorConfiguration;
import io.pep.config.ProvisioningConfiguration;
import io.pep.config.RouteCheck;
import io.pep.config.RoutesFolder;
import io.pep.config.SiteConfiguration;
import io.pep.config.StoreConfiguration;
import io.pep.config.ToolConfiguration;
import io.pep.config.ToolProcessesConfiguration;
import io.pep.dashboard.DashboardConfiguration;
import io.pep.observe.ObserveConfiguration;
import io.pep.store.DataFolderRefused;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.main.Main;
import org.apache.camel.util.ObjectHelper;

/**
 * Starts pep: Camel main with the bundled defaults, then the operator's
 * {@code application.properties} (or the file named by {@code PEP_CONFIG_FILE}) on top.
 * Every {@code pep.*} setting can also come from an environment variable
 * ({@code pep.server.port} ↔ {@code PEP_SERVER_PORT}).
 */
public final class PepApplication {

    /**
     * Every {@link CamelConfiguration} of pep, listed rather than found by scanning the io.pep
     * package on each start (the scan walks every class of the jar: a few hundred ms of start-up).
     * A new configuration class must be added here; {@code PepApplicationTest} fails until it is.
     */
    static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(
            SiteConfiguration.class,
            HttpServerConfiguration.class,
            ApiConfiguration.class,
            StoreConfiguration.class,
            ToolConfiguration.class,
            AuthConfiguration.class,
            TlsConfiguration.class,
            ToolProcessesConfiguration.class,
            FcuToolConfiguration.class,
            InjectorConfiguration.class,
            ProvisioningConfiguration.class,
            AttemptsConfiguration.class,
            ExportConfiguration.class,
            ObserveConfiguration.class,
            DashboardConfiguration.class);

    private PepApplication() {
    }

    /** Camel main with pep's configuration classes and no package scan. */
    public static Main newMain() {
        Main main = new Main();
        CONFIGURATIONS.forEach(main.configure()::addConfiguration);
        return main;
    }

    public static void main(String... args) {
        String operatorFile = operatorFile(System.getenv("PEP_CONFIG_FILE"));
        if (args.length > 0 && args[0].equals("check-routes")) {
            // a dry run of the site's routes: nothing of pep is started (docs/site-variations.md)
            RouteCheck.quietLogs();
            System.exit(RouteCheck.run(Arrays.copyOfRange(args, 1, args.length), operatorFile, System.out));
        }
        Main main = newMain();
        main.setPropertyPlaceholderLocations(propertyLocations(operatorFile));
        try {
            RoutesFolder.prepare(Path.of(operatorFile), System.getenv());
            main.run(args);
        } catch (Exception e) {
            // after a failed start non-daemon threads (HTTP server, embedded store) would keep the JVM alive
            System.err.println("pep did not start: " + rootMessage(e));
            System.exit(1);
        }
    }

    static String rootMessage(Throwable error) {
        // a refusal that names its file, cause and remedy is the whole line: Camel's wrappers add only noise
        DataFolderRefused refused = ObjectHelper.getException(DataFolderRefused.class, error);
        if (refused != null) {
            return refused.getMessage();
        }
        Throwable root = ObjectHelper.createExceptionIterable(error).iterator().next(); // innermost first
        String outer = String.valueOf(error.getMessage());
        String inner = String.valueOf(root.getMessage());
        return outer.contains(inner) ? outer : outer + ": " + inner;
    }

    static String operatorFile(String configured) {
        return configured == null || configured.isBlank() ? "application.properties" : configured;
    }

    /**
     * The operator's file, when present, then the bundled defaults: Camel's properties component
     * takes a key from the first location that has it, so the operator's file must come first to
     * override a bundled default.
     */
    static String propertyLocations(String operatorFile) {
        return "file:" + operatorFile + ";optional=true,classpath:application.properties;optional=true";
    }
}
