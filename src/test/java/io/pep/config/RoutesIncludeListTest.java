package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bundled route files are named one by one in camel.main.routes-include-pattern (a
 * classpath wildcard makes Camel inflate the whole jar at every start): this fails when a file in
 * src/main/resources/routes is not named there, or a named one does not exist.
 */
class RoutesIncludeListTest {

    @Test
    void everyBundledRouteFileIsIncluded() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Set<String> included = new TreeSet<>();
        for (String pattern : properties.getProperty("camel.main.routes-include-pattern").split(",")) {
            if (pattern.startsWith("classpath:routes/")) {
                included.add(pattern.substring("classpath:routes/".length()));
            }
        }
        Set<String> bundled = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml"))
                    .forEach(bundled::add);
        }
        assertFalse(bundled.isEmpty(), "no bundled route file found");
        assertEquals(bundled, included, "camel.main.routes-include-pattern must name every bundled route file");
    }
}
