package io.pep.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * pep's REST API, declared once: the OpenAPI document {@code docs/openapi.yaml} (the one served at
 * {@code /docs}) is what the server routes. Contract-first in Camel's convention: each operation
 * of the document becomes a REST DSL verb at its path, and at every path listed under
 * {@code x-pep-also-served-at} (the root aliases old scripts call, {@code /identity} for
 * {@code /v3/identity}), routed to {@code direct:<operationId>}; a GET is also served for HEAD unless it
 * writes ({@code x-pep-writes}). So the server routes what the
 * document lists, and a documented operation without its {@code direct:} route stops pep at start-up
 * ({@code ApiDocsTest} fails when a bundled route file declares a {@code rest:} verb of its own).
 * <p>
 * The verbs are plain REST DSL verbs on platform-http, as a hand-written {@code rest:} block would
 * be: pep's HTTP edge (tokens, TLS, provisioning lane, 503 before start, one-line 404/405) sees
 * nothing different. (camel-rest-openapi's own consumer was tried: it answers unknown paths under
 * its base path itself, with an empty 404, and has no aliases; see docs/code-layout.md.)
 */
public class OpenApiRoutes {

    /** The document on the classpath: routed here, served by {@link ApiDocs}. */
    public static final String DOCUMENT = ApiDocs.OPENAPI_YAML;
    /** Path-item extension: more paths where the same operations are served. */
    static final String ALIASES = "x-pep-also-served-at";
    /**
     * Operation extension: this GET writes (provisions a gateway). Every other GET is also served for
     * HEAD, by the same route: the same status and headers, no body (HTTP's rule for a safe GET);
     * a GET that writes is not, so a HEAD (a link checker, a proxy probing) never runs it: 405.
     */
    static final String WRITES = "x-pep-writes";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final String document;

    public OpenApiRoutes() {
        this(DOCUMENT);
    }

    OpenApiRoutes(String document) {
        this.document = document;
    }

    /** One operation at one path: {@code GET /identity → direct:provision}. */
    record Operation(String method, String path, String operationId) {

        String target() {
            return "direct:" + operationId;
        }

        /** The REST verb's id, unique per method and path: {@code get-v3-identity}, {@code get-docs-slash}. */
        String verbId() {
            String slug = path.replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
            if (path.length() > 1 && path.endsWith("/")) {
                slug += "-slash";
            }
            return method + "-" + (slug.isEmpty() ? "root" : slug);
        }
    }

    /**
     * Declares the verbs on {@code routes}: this is a {@code LambdaRouteBuilder} (bound by
     * {@link ApiConfiguration}), not a RouteBuilder class a package scan would add a second time.
     */
    public void configure(RouteBuilder routes) throws Exception {
        List<Operation> operations = operations(DOCUMENT.equals(document) ? Bundled.DOCUMENT : read(document), document);
        // a path with a {parameter} after every literal one: the router tries paths in the order given, and
        // /v3/exports/failures must not be taken for the run named 'failures'
        List<Operation> routed = new ArrayList<>(operations);
        routed.sort(java.util.Comparator.comparing(operation -> operation.path().contains("{")));
        for (Operation operation : routed) {
            // split as a rest: block would be ("/docs" + "/"): the REST DSL drops a trailing slash of a verb path
            // given whole, and "/docs/" would then clash with "/docs"
            String path = operation.path();
            int second = path.indexOf('/', 1);
            String base = second < 0 ? "/" : path.substring(0, second);
            String rest = second < 0 ? path : path.substring(second);
            routes.rest(base).verb(operation.method(), rest.equals("/") && base.equals("/") ? null : rest)
                    .id(operation.verbId()).to(operation.target());
        }
        routes.getContext().addStartupListener(new EveryOperationRouted(operations, document));
    }

    /**
     * The token schemes each served path asks for, from its operations' {@code security}: the
     * document's path and its aliases alike; an empty requirement ({@code {}}, the token is
     * optional) is the empty name. A path whose operations list none is absent. Read by pep's token
     * check ({@code io.pep.auth.AccessGuard}), so the document is also where access is declared.
     */
    public static Map<String, Set<String>> securityByPath() {
        return securityByPath(Bundled.DOCUMENT);
    }

    static Map<String, Set<String>> securityByPath(JsonNode openApi) {
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            Set<String> schemes = new TreeSet<>();
            for (String method : METHODS) {
                path.getValue().path(method).path("security").forEach(requirement -> {
                    if (requirement.isEmpty()) {
                        schemes.add("");
                    }
                    requirement.fieldNames().forEachRemaining(schemes::add);
                });
            }
            if (!schemes.isEmpty()) {
                byPath.put(path.getKey(), Set.copyOf(schemes));
                path.getValue().path(ALIASES).forEach(alias -> byPath.put(alias.asText(), Set.copyOf(schemes)));
            }
        }
        return byPath;
    }

    /** The methods each served path answers (upper case), from the bundled document: a 405's {@code Allow}. */
    public static Map<String, Set<String>> methodsByPath() {
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        for (Operation operation : operations(Bundled.DOCUMENT, DOCUMENT)) {
            byPath.computeIfAbsent(operation.path(), p -> new TreeSet<>()).add(operation.method().toUpperCase(Locale.ROOT));
        }
        return byPath;
    }

    /** The operations of a document, each at its path and at its aliases, in the document's order. */
    static List<Operation> operations(JsonNode openApi, String source) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            List<String> served = new ArrayList<>(List.of(path.getKey()));
            path.getValue().path(ALIASES).forEach(alias -> served.add(alias.asText()));
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                String operationId = operation.path("operationId").asText("");
                if (!operationId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    throw new IllegalArgumentException(source + ": " + method.toUpperCase(Locale.ROOT) + " " + path.getKey()
                            + " needs an operationId naming its route (direct:<operationId>), not '" + operationId + "'");
                }
                served.forEach(p -> operations.add(new Operation(method, p, operationId)));
                if (method.equals("get") && !operation.path(WRITES).asBoolean(false)) {
                    served.forEach(p -> operations.add(new Operation("head", p, operationId)));
                }
            }
        }
        if (operations.isEmpty()) {
            throw new IllegalArgumentException(source + " declares no operation");
        }
        return operations;
    }

    /** The bundled document, read once for the routes and the token check (class loaded on first use). */
    private static final class Bundled {
        static final JsonNode DOCUMENT = read(OpenApiRoutes.DOCUMENT);
    }

    static JsonNode read(String resource) {
        try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource + " (the REST API's OpenAPI document)");
            }
            // with the YAML parser Camel's YAML DSL has loaded already for the route files: Jackson's own
            // YAML stack would be loaded at every start for this one document
            Object document = new Load(LoadSettings.builder().setLabel(resource).build()).loadFromInputStream(in);
            return new ObjectMapper().valueToTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " could not be read", e);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(resource + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses to start when a documented operation has no {@code direct:<operationId>} route (it would
     * answer every call with a 500), as camel-rest-openapi's {@code missingOperation=fail} does.
     */
    private record EveryOperationRouted(List<Operation> operations, String document) implements StartupListener {

        @Override
        public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
            Set<String> consumed = new TreeSet<>();
            for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
                consumed.add(route.getInput().getEndpointUri().replaceFirst("^direct://", "direct:").replaceFirst("\\?.*", ""));
            }
            Map<String, String> missing = new LinkedHashMap<>();
            for (Operation operation : operations) {
                if (!consumed.contains(operation.target())) {
                    missing.putIfAbsent(operation.target(), operation.method().toUpperCase(Locale.ROOT) + " " + operation.path());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(document + " declares operations no route serves (add a route 'from:"
                        + " direct:<operationId>' or correct the operationId): " + missing);
            }
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        }
    }
}
