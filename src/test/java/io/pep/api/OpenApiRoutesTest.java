package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The REST API is read from its OpenAPI document: each operation at its path and its aliases,
 * and a document that names a route nobody wrote, or no route at all, stops pep before it serves.
 * (That the running pep serves exactly the bundled document: {@code ApiDocsTest}.)
 */
class OpenApiRoutesTest {

    @Test
    void eachOperationIsServedAtItsPathAndItsAliasesByItsRoute() {
        List<OpenApiRoutes.Operation> operations = OpenApiRoutes.operations(
                OpenApiRoutes.read("openapi/missing-route.yaml"), "missing-route.yaml");
        assertEquals(List.of("get /v3/present → direct:present", "get /present → direct:present",
                "head /v3/present → direct:present", "head /present → direct:present",
                "get /v3/absent → direct:absent", "get /absent → direct:absent"),
                operations.stream().map(o -> o.method() + " " + o.path() + " → " + o.target()).toList(),
                "a GET is also served for HEAD, unless it writes (x-pep-writes)");
        assertEquals(List.of("get-v3-present", "get-present", "head-v3-present", "head-present", "get-v3-absent", "get-absent"),
                operations.stream().map(OpenApiRoutes.Operation::verbId).toList());
        assertEquals("get-docs-slash", new OpenApiRoutes.Operation("get", "/docs/", "docs-page").verbId());
        assertEquals("get-root", new OpenApiRoutes.Operation("get", "/", "dashboard-root").verbId());
        assertEquals("get-docs-ui-asset", new OpenApiRoutes.Operation("get", "/docs/ui/{asset}", "docs-asset").verbId());
    }

    @Test
    void anOperationWithoutItsRouteStopsTheStart() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRestConfiguration().setInlineRoutes(false);
            RouteBuilder.addRoutes(context, new OpenApiRoutes("openapi/missing-route.yaml")::configure);
            // a lambda, not a RouteBuilder class: pep's test runs scan io.pep for RouteBuilder classes
            RouteBuilder.addRoutes(context, routes -> routes.from("direct:present").routeId("present").setBody().constant("here"));
            Exception refused = assertThrows(Exception.class, context::start);
            String message = String.valueOf(refused.getMessage());
            assertTrue(message.contains("openapi/missing-route.yaml declares operations no route serves")
                    && message.contains("direct:absent=GET /v3/absent") && !message.contains("direct:present"), message);
        }
    }

    @Test
    void anOperationWithoutOperationIdIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> OpenApiRoutes.operations(
                OpenApiRoutes.read("openapi/no-operation-id.yaml"), "no-operation-id.yaml"));
        assertEquals("no-operation-id.yaml: POST /v3/nameless needs an operationId naming its route"
                + " (direct:<operationId>), not ''", refused.getMessage());
    }

    @Test
    void theTokensEachPathNeedsAreReadFromTheDocumentAtThePathAndItsAliases() {
        var security = OpenApiRoutes.securityByPath(OpenApiRoutes.read("openapi/security.yaml"));
        assertEquals(java.util.Map.of(
                "/v3/gateway-call", java.util.Set.of("deviceToken", "adminToken"),
                "/gateway-call", java.util.Set.of("deviceToken", "adminToken"),
                "/v3/admin-call", java.util.Set.of("adminToken"),
                "/admin-call", java.util.Set.of("adminToken"),
                "/metrics-like", java.util.Set.of("", "adminToken")), security, "an operation listing none is open");
    }
}
