package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every route file pep ships (src/main/resources/routes and the site examples) reads top to bottom:
 * no step sits deeper than three nested step containers. A container is any node holding a
 * {@code steps} list — doTry, each of its doCatch and doFinally, filter, split, loop, a choice's
 * when and otherwise, onCompletion… — so doTry › doCatch › filter is three. Deeper flows become
 * named sub-routes ({@code direct:} with an explicit {@code id}).
 */
class RouteDepthTest {

    static final int MAX_DEPTH = 3;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<Path> FOLDERS = List.of(Path.of("src/main/resources/routes"), Path.of("examples"));

    /** The deepest nesting in {@code node}, and where it is, as "container › container › …". */
    record Depth(int depth, String path) {
    }

    @Test
    void noBundledOrExampleRouteNestsDeeperThanThreeLevels() throws Exception {
        List<Path> files = routeFiles();
        assertTrue(files.size() >= 12, "route files found: " + files);
        List<String> tooDeep = new ArrayList<>();
        int routes = 0;
        for (Path file : files) {
            JsonNode document = YAML.readTree(file.toFile());
            if (document == null || !document.isArray()) {
                continue;
            }
            for (JsonNode item : document) {
                for (Map.Entry<String, JsonNode> entry : item.properties()) {
                    JsonNode steps = steps(entry.getKey(), entry.getValue());
                    if (steps == null) {
                        continue;
                    }
                    routes++;
                    Depth depth = deepest(steps, 0, "");
                    if (depth.depth() > MAX_DEPTH) {
                        tooDeep.add(file + " " + entry.getKey() + " " + entry.getValue().path("id").asText("(no id)")
                                + ": " + depth.depth() + " levels (" + depth.path() + ")");
                    }
                }
            }
        }
        assertTrue(routes >= 40, "routes parsed: " + routes);
        assertEquals(List.of(), tooDeep, "routes nested deeper than " + MAX_DEPTH + " levels: split them into direct: sub-routes");
    }

    /** The counter itself: the example (doTry › doCatch › filter › doTry › doCatch) is five levels. */
    @Test
    void theCounterSeesDoCatchAndWhenAsLevels() throws Exception {
        JsonNode steps = YAML.readTree("""
                - doTry:
                    steps:
                      - log: a
                    doCatch:
                      - exception: [java.lang.Exception]
                        steps:
                          - filter:
                              simple: "true"
                              steps:
                                - doTry:
                                    steps:
                                      - log: b
                                    doCatch:
                                      - exception: [java.lang.Exception]
                                        steps:
                                          - log: c
                - choice:
                    when:
                      - simple: "true"
                        steps:
                          - log: d
                """);
        assertEquals(new Depth(5, "doTry › doCatch › filter › doTry › doCatch"), deepest(steps, 0, ""));
        assertEquals(1, deepest(YAML.readTree("- choice: {when: [{simple: x, steps: [{log: d}]}]}"), 0, "").depth());
    }

    /** The top-level steps of a route, route template or route configuration's handlers; null for others (rest, beans). */
    private static JsonNode steps(String kind, JsonNode definition) {
        return switch (kind) {
            case "route" -> definition.path("from").path("steps");
            case "routeTemplate" -> definition.path("from").isMissingNode()
                    ? definition.path("route").path("from").path("steps") : definition.path("from").path("steps");
            // onException / interceptFrom… blocks: their own steps count as the first level
            case "routeConfiguration" -> definition;
            default -> null;
        };
    }

    /** Walks any YAML node; a mapping holding {@code steps} is one level more for what it contains. */
    static Depth deepest(JsonNode node, int depth, String path) {
        Depth best = new Depth(depth, path);
        if (node.isArray()) {
            for (JsonNode child : node) {
                Depth found = deepest(child, depth, path);
                best = found.depth() > best.depth() ? found : best;
            }
            return best;
        }
        if (!node.isObject()) {
            return best;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isArray()) {
                // a list of containers named by their key (doCatch, when, onException): each item is a level
                for (JsonNode item : value) {
                    boolean container = item.isObject() && item.has("steps");
                    Depth found = container ? deepest(item, depth + 1, join(path, field.getKey()))
                            : deepest(item, depth, path);
                    best = found.depth() > best.depth() ? found : best;
                }
            } else if (value.isObject()) {
                boolean container = value.has("steps");
                Depth found = container ? deepest(value, depth + 1, join(path, field.getKey())) : deepest(value, depth, path);
                best = found.depth() > best.depth() ? found : best;
            }
        }
        return best;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + " › " + name;
    }

    private static List<Path> routeFiles() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path folder : FOLDERS) {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(file -> file.getFileName().toString().endsWith(".yaml"))
                        .filter(file -> !file.getFileName().toString().equals("docker-compose.yaml"))
                        .filter(RouteDepthTest::isRouteFile).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static boolean isRouteFile(Path file) {
        try {
            JsonNode document = YAML.readTree(file.toFile());
            if (document == null || !document.isArray()) {
                return false;
            }
            for (JsonNode item : document) {
                if (item.has("route") || item.has("routeTemplate") || item.has("routeConfiguration") || item.has("rest")) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
