package io.pep.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The site routes folder ({@code pep.routes.dir}) has to exist before Camel starts: Camel walks it
 * while loading routes, before any bean of pep runs, and a missing folder would stop the start
 * with a bare "NoSuchFileException: routes". Left at its default it is simply created (empty, it
 * changes nothing); a folder an operator named must exist, so a typo never starts pep without the
 * site's routes.
 */
public final class RoutesFolder {

    static final String DEFAULT = "routes";

    private RoutesFolder() {
    }

    /** Creates the default folder when missing; refuses a configured folder that does not exist. */
    public static void prepare(Path operatorProperties, Map<String, String> environment) throws IOException {
        String configured = environment.get("PEP_ROUTES_DIR");
        if (configured == null && Files.isRegularFile(operatorProperties)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(operatorProperties)) {
                properties.load(reader);
            }
            configured = properties.getProperty("pep.routes.dir");
        }
        if (configured == null || configured.isBlank() || configured.trim().equals(DEFAULT)) {
            Files.createDirectories(Path.of(DEFAULT));
        } else if (!configured.contains("{{") && !Files.isDirectory(Path.of(configured.trim()))) {
            throw new IllegalStateException("pep.routes.dir '" + configured.trim() + "' is not a folder: create it (it"
                    + " may stay empty) or correct PEP_ROUTES_DIR / pep.routes.dir");
        }
    }
}
