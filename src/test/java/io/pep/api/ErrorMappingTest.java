package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import io.pep.export.ExportBusy;
import io.pep.export.ExportUnavailable;
import io.pep.export.PortalNotConfigured;
import io.pep.identity.InvalidRequest;
import io.pep.identity.QueryParameters;
import io.pep.identity.NotFound;
import io.pep.identity.ProvisioningRefused;
import io.pep.identity.ProvisioningUnavailable;
import io.pep.injector.GatewayFailure;
import io.pep.provisioning.GatewayProblem;
import io.pep.provisioning.IdentityRequest;
import io.pep.provisioning.ProvisioningBusy;
import io.pep.provisioning.ProvisioningInterrupted;
import io.pep.provisioning.SerialInUse;
import io.pep.provisioning.ToolFailed;
import io.pep.provisioning.ToolTimedOut;
import io.pep.provisioning.ToolUnavailable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.camel.component.exec.ExecException;
import org.junit.jupiter.api.Test;

/**
 * The status table of routes/errors.camel.yaml, through real HTTP on loopback: each domain failure,
 * raised by a bean step and by a bean called in an expression (which Camel wraps), is answered with
 * its status, its own message as one text/plain line, Retry-After where due, and no echoed header.
 * A failure's cause never decides its status (Camel weighs the whole cause chain).
 */
class ErrorMappingTest extends PepTestSupport {

    private static final String ROUTES = """
            - rest:
                id: error-mapping-test
                path: /test-errors
                get:
                  - id: test-raise
                    path: /raise/{kind}
                    to: direct:test-raise
                  - id: test-raise-wrapped
                    path: /raise-wrapped/{kind}
                    to: direct:test-raise-wrapped
            - route:
                id: test-raise
                routeConfigurationId: api-errors
                from:
                  uri: direct:test-raise
                  steps:
                    - bean:
                        beanType: io.pep.api.ErrorMappingTest$Raiser
                        method: raise(${header.kind})
            - route:
                id: test-raise-wrapped
                routeConfigurationId: api-errors
                from:
                  uri: direct:test-raise-wrapped
                  steps:
                    - setProperty:
                        name: raised
                        method:
                          beanType: io.pep.api.ErrorMappingTest$Raiser
                          method: raise(${header.kind})
            """;

    private static final IdentityRequest REQUEST = new IdentityRequest.Validator(new IdentityRequest.Defaults(
            "https://api", "https://gw", "hw", "00", "01", "production"))
            .validate(QueryParameters.parse("serialNumber=SN-1&ip=127.0.0.1&port=7777"));

    /** Raises the failure named {@code kind}; the test reads the expected message from the same place. */
    public static class Raiser {
        public String raise(String kind) {
            throw failure(kind);
        }
    }

    static RuntimeException failure(String kind) {
        return switch (kind) {
            case "invalid" -> new InvalidRequest("Invalid request: parameter 'x' must be y");
            case "refused" -> new ProvisioningRefused("SN-1 is not known to the MES");
            case "refused-old-name" -> new io.pep.api.ProvisioningRefused("SN-1 is on the blocked list");
            case "not-found" -> new NotFound();
            case "serial-in-use" -> new SerialInUse("SN-1");
            case "export-busy" -> new ExportBusy("csv", "r-1");
            case "tool-failed" -> new ToolFailed("Provisioning of 'SN-1' failed: the factory tool exited with code 1",
                    new IOException("a cause that is no domain failure"));
            case "gateway-refused" -> GatewayProblem.of(REQUEST, GatewayFailure.REFUSED, null, 29,
                    "first to claim not allowed", -1, List.of(), new IOException("x"));
            case "gateway-silent" -> GatewayProblem.of(REQUEST, GatewayFailure.SILENT, null, -1, null, -1, List.of(), null);
            case "tool-timeout" -> new ToolTimedOut("Provisioning of 'SN-1' failed: the factory tool timed out",
                    new IllegalStateException("a cause that is no domain failure"));
            case "busy" -> new ProvisioningBusy(7);
            case "hook-unavailable" -> new ProvisioningUnavailable("The MES did not answer");
            case "interrupted" -> new ProvisioningInterrupted("Provisioning of 'SN-1' was interrupted: pep is"
                    + " shutting down.", new InterruptedException());
            case "tool-unavailable" -> new ToolUnavailable("The factory tool could not be started (see pep's log);"
                    + " nothing was recorded.", new ExecException("Unable to execute command", null, null, -1, null));
            case "portal" -> new PortalNotConfigured();
            case "data-folder" -> new io.pep.store.DataFolderNotWritable("pep's data folder /data is full or not"
                    + " writable: No space left on device", 5);
            case "export-stopped" -> new ExportUnavailable("pep is stopping; export run csv-1 was abandoned: its records"
                    + " go to the next drop.");
            case "database" -> new IllegalStateException("the store", new com.mongodb.MongoSocketReadException(
                    "Prematurely reached end of stream", new com.mongodb.ServerAddress("127.0.0.1", 1)));
            default -> new IllegalStateException("a bug: " + kind);
        };
    }

    private static final String DATABASE = "The database is unavailable right now; nothing was changed. Retry in a"
            + " few seconds (operators: check MONGO_URI and that MongoDB is running).\n";

    private Path routes;

    @Override
    protected void overrideProperties(Properties properties) {
        try {
            routes = Files.createDirectories(dataDir().resolve("routes"));
            Files.writeString(routes.resolve("error-mapping-test.camel.yaml"), ROUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.setProperty("pep.routes.dir", routes.toString());
    }

    @Test
    void everyDomainFailureHasItsStatusMessageAndRetryAfter() {
        for (String path : List.of("/test-errors/raise/", "/test-errors/raise-wrapped/")) {
            answers(path, "invalid", 400, null);
            answers(path, "refused", 403, null);
            answers(path, "refused-old-name", 403, null);
            answers(path, "not-found", 404, null);
            answers(path, "serial-in-use", 409, null);
            answers(path, "export-busy", 409, null);
            answers(path, "tool-failed", 500, null);
            answers(path, "gateway-refused", 500, null);
            answers(path, "gateway-silent", 504, null);
            answers(path, "tool-timeout", 504, null);
            answers(path, "busy", 503, "7");
            answers(path, "hook-unavailable", 503, "30");
            answers(path, "interrupted", 503, "5");
            answers(path, "tool-unavailable", 503, null);
            answers(path, "portal", 503, null);
            answers(path, "data-folder", 503, "5");
            answers(path, "export-stopped", 503, "10");
        }
    }

    @Test
    void theOriginalsWordsStayFirst() {
        HttpResponse<String> conflict = get("/test-errors/raise/serial-in-use");
        assertTrue(conflict.body().startsWith("Identity with this serial number exists already! "), conflict.body());
        assertEquals("Not found!\n", get("/test-errors/raise-wrapped/not-found").body());
    }

    @Test
    void aDatabaseOutageIs503WithRetryAfter() {
        for (String path : List.of("/test-errors/raise/", "/test-errors/raise-wrapped/")) {
            HttpResponse<String> response = send(path + "database");
            assertEquals(503, response.statusCode(), response.body());
            assertEquals(DATABASE, response.body());
            assertEquals("5", response.headers().firstValue("Retry-After").orElse(null));
        }
    }

    @Test
    void anythingElseIs500WithAReference() {
        for (String path : List.of("/test-errors/raise/", "/test-errors/raise-wrapped/")) {
            HttpResponse<String> response = send(path + "bug");
            assertEquals(500, response.statusCode(), response.body());
            assertTrue(response.body().matches("Internal error \\(reference [0-9a-f]{8} in pep's log\\)\\.\n"),
                    response.body());
            assertFalse(response.body().contains("a bug"), "the failure's text stays in pep's log");
            assertFalse(response.headers().firstValue("Retry-After").isPresent());
        }
    }

    private void answers(String path, String kind, int status, String retryAfter) {
        HttpResponse<String> response = send(path + kind);
        String what = path + kind + " → " + response.statusCode() + " " + response.body();
        assertEquals(status, response.statusCode(), what);
        assertEquals(failure(kind).getMessage() + "\n", response.body(), what);
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null), what);
        assertEquals(retryAfter, response.headers().firstValue("Retry-After").orElse(null), what);
        assertFalse(response.headers().firstValue("X-Echo-Me").isPresent(), what + ": an inbound header came back");
    }

    private HttpResponse<String> send(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("X-Echo-Me", "no").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
