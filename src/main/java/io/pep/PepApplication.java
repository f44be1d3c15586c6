package io.pep;

import io.pep.config.RoutesFolder;
import java.nio.file.Path;
import org.apache.camel.main.Main;

/**
 * Starts pep: Camel main with the bundled defaults, then the operator's
 * {@code application.properties} (or the file named by {@code PEP_CONFIG_FILE}) on top.
 * Every {@code pep.*} setting can also come from an environment variable
 * ({@code pep.server.port} ↔ {@code PEP_SERVER_PORT}).
 */
public final class PepApplication {

    private PepApplication() {
    }

    public static void main(String... args) {
        String operatorFile = operatorFile(System.getenv("PEP_CONFIG_FILE"));
        Main main = new Main(PepApplication.class);
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

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
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
