package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document tells the truth about the server: it is the one pep routes (each
 * operation at its path and its aliases reaches {@code direct:<operationId>}, and no other REST verb
 * exists), every alias answers like its path, the query parameters it lists are the ones the routes
 * read (seen from outside: no hook in the code), the answers have its shape; and /docs shows it with
 * the bundled Swagger UI.
 */
class ApiDocsTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private JsonNode doc;

    @BeforeEach
    void loadDocument() throws Exception {
        if (doc == null) { // the context (started by the base class before each test) lives for the whole class
            doc = new YAMLMapper().readTree(get("/docs/openapi.yaml").body());
        }
    }

    @Test
    void yamlAndJsonAreTheSameDocument() throws Exception {
        HttpResponse<String> yaml = get("/docs/openapi.yaml");
        HttpResponse<String> json = get("/docs/openapi.json");
        assertEquals(200, yaml.statusCode());
        assertEquals(200, json.statusCode());
        assertTrue(contentType(yaml).startsWith("application/yaml"), contentType(yaml));
        assertTrue(contentType(json).startsWith("application/json"), contentType(json));
        JsonNode fromYaml = new YAMLMapper().readTree(yaml.body());
        assertEquals(fromYaml, JSON.readTree(json.body()));
        assertEquals("3.0.3", fromYaml.path("openapi").asText());
        assertTrue(fromYaml.path("paths").size() > 0);
    }

    @Test
    void everyRoutedOperationIsDocumentedAndNothingElse() {
        Map<String, String> routed = routedOperations();
        Map<String, String> documented = documentedOperations();
        // the document's convention: a GET that does not write (x-pep-writes) also answers HEAD
        new TreeMap<>(documented).forEach((operation, target) -> {
            String path = operation.substring(operation.indexOf(' ') + 1);
            if (operation.startsWith("GET ") && !documentedOperation(path, "get").path("x-pep-writes").asBoolean(false)) {
                documented.put("HEAD " + path, target);
            }
        });
        assertTrue(documented.containsKey("HEAD /v3/enrollment-ids") && !documented.containsKey("HEAD /v3/identity"),
                documented.keySet().toString());
        assertTrue(routed.keySet().containsAll(List.of("GET /v3/identity", "GET /identity", "GET /v3/enrollment-ids",
                "GET /docs", "GET /docs/", "GET /docs/ui/{asset}", "POST /exports/csv", "GET /observe/health")),
                "REST paths as read here: " + routed.keySet());

        Set<String> undocumented = new TreeSet<>(routed.keySet());
        undocumented.removeAll(documented.keySet());
        assertTrue(undocumented.isEmpty(), "routed but missing from docs/openapi.yaml (declare REST operations there,"
                + " not in a rest: block): " + undocumented);
        Set<String> notRouted = new TreeSet<>(documented.keySet());
        notRouted.removeAll(routed.keySet());
        assertTrue(notRouted.isEmpty(), "documented but not routed: " + notRouted);
        // each operation reaches the route its operationId names, at its path and at its aliases
        assertEquals(documented, routed);
        for (String target : new TreeSet<>(routed.values())) {
            assertTrue(context.getRoutes().stream().anyMatch(r -> r.getEndpoint().getEndpointUri().replace("://", ":").equals(target)),
                    "no route consumes " + target);
        }
    }

    @Test
    void everyAliasAnswersLikeItsPath() {
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<String> aliases = new ArrayList<>();
            path.getValue().path("x-pep-also-served-at").forEach(alias -> aliases.add(alias.asText()));
            if (path.getKey().startsWith("/v3/")) { // SPEC §1: every path is served under /v3 and at the root
                assertTrue(aliases.contains(path.getKey().substring(3)), path.getKey() + " has no root alias: " + aliases);
            }
            if (!path.getValue().has("get") || path.getKey().contains("{")) {
                continue; // requests with side effects are not sent from here; {asset}: see the docs page test
            }
            for (String alias : aliases) {
                // without parameters: a provisioning or a lookup is refused (400) before anything is written
                HttpResponse<String> first = get(path.getKey());
                HttpResponse<String> aliased = get(alias);
                String what = alias + " vs " + path.getKey();
                assertEquals(first.statusCode(), aliased.statusCode(), what);
                assertEquals(contentType(first), contentType(aliased), what);
                // the same answer but for numbers: health reports carry timings (ping_ms), which may
                // differ between two calls even when the path's own two calls happened to agree
                assertEquals(withoutNumbers(first.body()), withoutNumbers(aliased.body()), what);
                compared++;
            }
        }
        assertTrue(compared >= 10, "aliases compared: " + compared);
    }

    private static String withoutNumbers(String body) {
        return body.replaceAll("[0-9]+", "0");
    }

    /**
     * Without a hook in the code: a route reads a parameter when giving it twice is refused with 400
     * naming it. Every documented parameter must be read so; no other parameter that pep reads anywhere
     * (any operation's, or a name the Java code asks a query for) may be.
     */
    @Test
    void tryItOutSendsNoOptionalQueryParameterUnlessItIsTheDefault() {
        // Swagger UI fills a parameter's field from examples, example, schema.example or default, and
        // sends every filled field: an optional filter or paging cursor with an example narrows the
        // answer (an empty page). Only the server's own default may be pre-filled; pep's test value is
        // x-pep-sample, which Swagger UI ignores.
        List<String> prefilled = new ArrayList<>();
        for (String operation : documentedOperations().keySet()) {
            String path = operation.substring(operation.indexOf(' ') + 1);
            JsonNode op = documentedOperation(path, operation.substring(0, operation.indexOf(' ')).toLowerCase());
            for (JsonNode parameter : op.path("parameters")) {
                JsonNode p = resolve(parameter);
                JsonNode schema = resolve(p.path("schema"));
                if (p.path("in").asText().equals("query") && !p.path("required").asBoolean()
                        && (p.has("example") || p.has("examples") || schema.has("example") || p.has("content"))) {
                    prefilled.add(operation + " " + p.path("name").asText());
                }
            }
        }
        assertTrue(prefilled.isEmpty(), "optional query parameters Swagger UI would send with an example value: " + prefilled);
    }

    @Test
    void documentedQueryParametersAreTheOnesTheRoutesRead() throws Exception {
        Set<String> known = new TreeSet<>(namesReadInCode());
        assertTrue(known.containsAll(List.of("serialNumber", "ip", "port", "limit", "order", "last", "format", "mode")),
                "parameter names found in src/main/java: " + known);
        for (String operation : documentedOperations().keySet()) {
            JsonNode op = documentedOperation(operation.substring(operation.indexOf(' ') + 1),
                    operation.substring(0, operation.indexOf(' ')).toLowerCase());
            exampleValues(op, "query").keySet().forEach(known::add);
        }

        for (String operation : documentedOperations().keySet()) {
            if (!operation.startsWith("GET ")) {
                continue; // requests with side effects (export runs) are not sent from here
            }
            String path = operation.substring(4);
            JsonNode op = documentedOperation(path, "get");
            Map<String, String> values = exampleValues(op, "query");
            String target = fill(path, exampleValues(op, "path")) + query(values);

            HttpResponse<String> response = get(target);
            // 404 is a lookup of a serial nobody provisioned: every parameter was read all the same
            assertTrue(response.statusCode() < 400 || response.statusCode() == 404, operation + " with every documented parameter: "
                    + response.statusCode() + " " + response.body());

            for (String name : values.keySet()) {
                // documented for every operation: a parameter given twice is refused with 400 naming it
                HttpResponse<String> twice = get(target + "&" + q(name) + "=" + q(values.get(name)));
                assertEquals(400, twice.statusCode(), operation + " does not read its documented parameter " + name);
                assertTrue(twice.body().contains("'" + name + "'"), twice.body());
            }
            Set<String> others = new TreeSet<>(known);
            others.removeAll(values.keySet());
            StringBuilder extra = new StringBuilder();
            for (String name : others) {
                extra.append('&').append(q(name)).append("=1&").append(q(name)).append("=2");
            }
            String fresh = fill(path, exampleValues(op, "path")) + query(exampleValues(op, "query")); // a new serial
            HttpResponse<String> undocumented = get(fresh + extra);
            for (String name : others) {
                assertFalse(undocumented.statusCode() == 400 && undocumented.body().contains("'" + name + "'"),
                        operation + " reads a parameter the document does not list: " + undocumented.body());
            }
            for (JsonNode parameter : op.path("parameters")) {
                JsonNode resolved = resolve(parameter);
                if (resolved.path("in").asText().equals("query") && resolved.path("required").asBoolean()) {
                    Map<String, String> without = new TreeMap<>(values);
                    String name = resolved.path("name").asText();
                    without.remove(name);
                    HttpResponse<String> missing = get(fill(path, exampleValues(op, "path")) + query(without));
                    assertEquals(400, missing.statusCode(), operation + " without required " + name);
                    assertTrue(missing.body().contains("'" + name + "'"), missing.body());
                }
            }
        }
    }

    /** Names the Java code asks a request's query for ({@code query.nonEmpty("limit")}, {@code required(query, "ip", ...)}). */
    private static Set<String> namesReadInCode() throws Exception {
        Pattern read = Pattern.compile("(?:nonEmpty|single|required|optional)\\((?:query, )?\"([A-Za-z][A-Za-z0-9]*)\"");
        Set<String> names = new TreeSet<>();
        try (var files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = read.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void answersHaveTheDocumentedShape() throws Exception {
        HttpResponse<String> provisioned = get("/v3/identity?serialNumber=DOCS-SHAPE&ip=127.0.0.1&port=7777");
        assertEquals(200, provisioned.statusCode(), provisioned.body());
        JsonNode identity = JSON.readTree(provisioned.body());
        JsonNode schema = doc.at("/components/schemas/Identity");
        assertEquals(fieldNames(schema.path("properties")), fieldNames(identity), "Identity fields and their order");
        assertEquals(fieldNames(schema.path("properties")),
                fieldNames(doc.at("/paths/~1v3~1identity/get/responses/200/content/application~1json/example")));
        for (JsonNode required : schema.path("required")) {
            assertTrue(identity.has(required.asText()), required.asText());
        }
        Pattern enrollmentId = Pattern.compile(doc.at("/components/schemas/EnrollmentId/pattern").asText());
        assertTrue(enrollmentId.matcher(identity.path("enrollmentID").asText()).matches());

        JsonNode page = JSON.readTree(get("/v3/enrollment-ids?limit=1").body());
        assertEquals(fieldNames(doc.at("/components/schemas/EnrollmentPage/properties")), fieldNames(page));
        JsonNode entry = page.at("/results/0");
        Pattern objectId = Pattern.compile(doc.at("/components/schemas/EnrollmentEntry/allOf/1/properties/_id/pattern").asText());
        assertTrue(objectId.matcher(entry.path("_id").asText()).matches());

        HttpResponse<String> csv = get("/v3/enrollment-ids?limit=1&format=csv");
        assertTrue(contentType(csv).startsWith("text/csv"));
        assertTrue(csv.headers().firstValue("Link").orElse("").endsWith("; rel=\"next\""));
        String documentedCsv = doc.at("/paths/~1v3~1enrollment-ids/get/responses/200/content/text~1csv/example").asText();
        assertEquals(documentedCsv.lines().findFirst().orElseThrow(), csv.body().lines().findFirst().orElseThrow(),
                "CSV header line");

        HttpResponse<String> notFound = get("/v3/enrollment-id?serialNumber=NOBODY");
        assertEquals(404, notFound.statusCode());
        assertEquals(doc.at("/components/responses/NotFound/content/text~1plain/example").asText(), notFound.body().trim());

        Pattern serial = Pattern.compile(doc.at("/components/schemas/SerialNumber/pattern").asText());
        assertTrue(serial.matcher("SN 1/ü-$ne;`id`").matches());
        assertFalse(serial.matcher("SN\n1").matches());
        assertFalse(serial.matcher("SN\u2028").matches());
    }

    @Test
    void docsPageShowsTheDocumentWithTheBundledSwaggerUi() {
        Set<String> referenced = new LinkedHashSet<>();
        for (String page : List.of("/docs", "/docs/")) {
            HttpResponse<String> response = get(page, "text/html");
            assertEquals(200, response.statusCode(), page);
            assertTrue(contentType(response).startsWith("text/html"), contentType(response));
            assertFalse(response.body().contains("://"), "nothing from another host: " + response.body());
            Matcher link = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(response.body());
            while (link.find()) {
                referenced.add(link.group(1));
            }
        }
        assertTrue(referenced.containsAll(List.of("/docs/ui/swagger-ui.css", "/docs/ui/swagger-ui-bundle.js",
                "/docs/ui/swagger-ui-standalone-preset.js", "/docs/ui/swagger-initializer.js")), referenced.toString());

        Set<String> assets = new TreeSet<>();
        doc.at("/paths/~1docs~1ui~1{asset}/get/parameters/0/schema/enum").forEach(name -> assets.add(name.asText()));
        assertEquals(new TreeSet<>(ApiDocs.ASSETS.keySet()), assets, "the document lists exactly the served files");
        for (String href : referenced) {
            if (href.startsWith("/docs/ui/")) {
                assertTrue(assets.contains(href.substring("/docs/ui/".length())), href + " is not served");
            } else {
                assertEquals(200, get(href).statusCode(), href);
            }
        }
        for (String asset : assets) {
            HttpResponse<byte[]> response = get("/docs/ui/" + asset, "*/*", HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), asset);
            String expected = asset.endsWith(".css") ? "text/css" : asset.endsWith(".js") ? "text/javascript" : "image/png";
            assertTrue(contentType(response).startsWith(expected), asset + ": " + contentType(response));
            assertTrue(response.body().length > 100, asset);
        }
        String initializer = get("/docs/ui/swagger-initializer.js").body();
        assertTrue(initializer.contains("url: \"/docs/openapi.json\""), initializer);
        assertTrue(initializer.contains("validatorUrl: null"), "no badge fetched from validator.swagger.io");
    }

    @Test
    void traversalAndUnknownFilesAreRefused() {
        for (String target : List.of("/docs/../pom.xml", "/docs/ui/../../pom.xml", "/docs/ui/..%2F..%2Fpom.xml",
                "/docs/ui/%2e%2e/%2e%2e/pom.xml", "/docs/ui/%2e%2e%2f%2e%2e%2fpom.xml", "/docs/ui/..\\..\\pom.xml",
                "/docs/ui/swagger-ui.js", "/docs/ui/index.html", "/docs/ui/nope.css", "/docs/ui/",
                "/docs/ui/META-INF%2fMANIFEST.MF", "/docs/openapi.yml", "/docs/ui/nope.css?asset=index.css",
                "/docs/ui/application.properties")) {
            String response = rawGet(target);
            String status = response.substring(0, response.indexOf("\r\n"));
            assertTrue(status.contains(" 404 ") || status.contains(" 400 "), target + ": " + status);
            assertFalse(response.contains("<project") || response.contains("camel.main") || response.contains("Manifest"),
                    target + " leaked a file");
        }
        String unknown = rawGet("/docs/ui/nope.css");
        assertTrue(unknown.contains("text/plain") && unknown.contains("Not found!"), unknown);
        HttpResponse<String> override = get("/docs/ui/index.css?asset=swagger-ui-bundle.js");
        assertTrue(contentType(override).startsWith("text/css"), "the file comes from the path, not a query parameter");
    }

    // --- the operations the REST DSL routes, and those the document lists

    /** "GET /v3/identity" → the endpoint its REST verb calls, from the REST definitions of the running context. */
    private Map<String, String> routedOperations() {
        Map<String, String> operations = new TreeMap<>();
        List<RestDefinition> rests = ((ModelCamelContext) context).getRestDefinitions();
        assertFalse(rests.isEmpty());
        for (RestDefinition rest : rests) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = ((rest.getPath() == null ? "" : rest.getPath()) + "/"
                        + (verb.getPath() == null ? "" : verb.getPath())).replaceAll("/+", "/");
                if (path.length() > 1 && path.endsWith("/") && (verb.getPath() == null || !verb.getPath().endsWith("/"))) {
                    path = path.substring(0, path.length() - 1);
                }
                String previous = operations.put(verb.asVerb().toUpperCase() + " " + path, verb.getTo().getUri());
                assertEquals(null, previous, "declared twice: " + verb.asVerb() + " " + path);
            }
        }
        return operations;
    }

    /** "GET /identity" → "direct:provision", for each path of the document and each of its aliases. */
    private Map<String, String> documentedOperations() {
        Map<String, String> operations = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<String> served = new ArrayList<>(List.of(path.getKey()));
            path.getValue().path("x-pep-also-served-at").forEach(alias -> served.add(alias.asText()));
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    served.forEach(p -> operations.put(method.toUpperCase() + " " + p, "direct:" + op.path("operationId").asText()));
                }
            }
        }
        return operations;
    }

    /** The documented operation serving {@code path} directly or as an alias. */
    private JsonNode documentedOperation(String path, String method) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            boolean alias = false;
            for (JsonNode a : entry.getValue().path("x-pep-also-served-at")) {
                alias |= a.asText().equals(path);
            }
            if (entry.getKey().equals(path) || alias) {
                return entry.getValue().get(method);
            }
        }
        throw new AssertionError("not documented: " + method + " " + path);
    }

    /** A valid value for each documented parameter: its example, pep's own sample, default or first allowed value. */
    /** A parameter's value for this test only (Swagger UI does not pre-fill it). */
    private static final String SAMPLE = "x-pep-sample";

    private Map<String, String> exampleValues(JsonNode operation, String in) {
        Map<String, String> values = new TreeMap<>();
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode p = resolve(parameter);
            if (!p.path("in").asText().equals(in)) {
                continue;
            }
            JsonNode schema = resolve(p.path("schema"));
            String value = p.has("example") ? p.get("example").asText()
                    : p.has("examples") ? p.get("examples").elements().next().path("value").asText()
                    : p.has(SAMPLE) ? p.get(SAMPLE).asText()
                    : schema.has("default") ? schema.get("default").asText()
                    : schema.has("enum") ? schema.get("enum").get(0).asText()
                    : "docs-value";
            if (p.path("name").asText().equals("serialNumber")) {
                value = "DOCS-" + operation.path("operationId").asText() + "-" + System.nanoTime();
            }
            values.put(p.path("name").asText(), value);
        }
        return values;
    }

    private JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            return resolve(doc.at(node.get("$ref").asText().substring(1)));
        }
        return node;
    }

    private static String fill(String path, Map<String, String> pathValues) {
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    private static String query(Map<String, String> values) {
        StringBuilder query = new StringBuilder("?");
        values.forEach((name, value) -> query.append(query.length() > 1 ? "&" : "").append(q(name)).append('=').append(q(value)));
        return query.toString();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }


}
