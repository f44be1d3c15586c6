package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One source for every setting: its default lives only in the bundled application.properties.
 * No {@code @PropertyInject} in pep's code repeats a default, and every key the code and the
 * bundled routes read has one there (else pep would start only with an operator file naming it).
 * Every bundled {@code pep.*} key has a row in the README's settings table, so an operator finds it.
 */
class SettingsSourceTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path ROUTES = Path.of("src/main/resources/routes");
    private static final Path BUNDLED = Path.of("src/main/resources/application.properties");
    private static final Path README = Path.of("README.md");
    private static final Pattern TABLE_KEY = Pattern.compile("`([a-z][a-z0-9.-]*)`");
    private static final Pattern INJECTION = Pattern.compile("@PropertyInject\\s*\\(([^)]*)\\)");
    private static final Pattern KEY = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(pep\\.[^}:]+)(:[^}]*)?}}");

    @Test
    void noPropertyInjectionCarriesADefault() throws IOException {
        List<String> withDefault = new ArrayList<>();
        for (Injection injection : injections()) {
            if (injection.arguments().contains("defaultValue")) {
                withDefault.add(injection.where() + ": @PropertyInject(" + injection.arguments() + ")");
            }
        }
        assertEquals(List.of(), withDefault, "defaults belong in " + BUNDLED + " only");
    }

    @Test
    void settingsAreInjectedIntoFieldsOnly() throws IOException {
        // one style: a configuration class's settings are its fields, its binding methods take none
        List<String> asParameters = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher parameter = Pattern.compile("[(,]\\s*@PropertyInject").matcher(Files.readString(file));
                while (parameter.find()) {
                    asParameters.add(SOURCES.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), asParameters);
    }

    @Test
    void everyInjectedKeyHasABundledDefault() throws IOException {
        Properties bundled = bundled();
        List<String> injections = injections().stream().map(Injection::arguments).toList();
        assertFalse(injections.isEmpty(), "the scan found pep's @PropertyInject annotations");
        TreeSet<String> missing = new TreeSet<>();
        for (Injection injection : injections()) {
            Matcher key = KEY.matcher(injection.arguments());
            if (key.find() && !bundled.containsKey(key.group(1))) {
                missing.add(key.group(1) + " (" + injection.where() + ")");
            }
        }
        assertEquals(new TreeSet<>(), missing);
    }

    @Test
    void everyPlaceholderInTheBundledRoutesAndSettingsHasABundledDefault() throws IOException {
        Properties bundled = bundled();
        TreeSet<String> missing = new TreeSet<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> routes = Files.list(ROUTES)) {
            routes.filter(f -> f.toString().endsWith(".yaml")).forEach(files::add);
        }
        files.add(BUNDLED);
        int seen = 0;
        for (Path file : files) {
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(file));
            while (placeholder.find()) {
                seen++;
                if (!bundled.containsKey(placeholder.group(1))) {
                    missing.add(placeholder.group(1) + " (" + file.getFileName() + ")");
                }
            }
        }
        assertFalse(seen == 0, "the scan found the routes' {{pep.*}} placeholders");
        assertEquals(new TreeSet<>(), missing);
    }

    @Test
    void everyBundledPepKeyHasARowInTheReadmesSettingsTable() throws IOException {
        TreeSet<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(README)) {
            // a settings row: "| `key`, `key` | ENVIRONMENT | default | meaning |"; only its first cell names keys
            String[] cells = line.split("\\|");
            if (line.startsWith("| `") && cells.length > 4) {
                Matcher key = TABLE_KEY.matcher(cells[1]);
                while (key.find()) {
                    documented.add(key.group(1));
                }
            }
        }
        TreeSet<String> missing = new TreeSet<>();
        for (String key : bundled().stringPropertyNames()) {
            if (key.startsWith("pep.") && !documented.contains(key)) {
                missing.add(key);
            }
        }
        assertFalse(documented.isEmpty(), "the scan found the README's settings table");
        assertEquals(new TreeSet<>(), missing, "bundled settings without a row in " + README + "'s settings table");
    }

    private record Injection(String where, String arguments) {
    }

    private static List<Injection> injections() throws IOException {
        List<Injection> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher injection = INJECTION.matcher(Files.readString(file));
                while (injection.find()) {
                    found.add(new Injection(SOURCES.relativize(file).toString(), injection.group(1)));
                }
            }
        }
        return found;
    }

    private static Properties bundled() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(BUNDLED)) {
            properties.load(reader);
        }
        return properties;
    }
}
