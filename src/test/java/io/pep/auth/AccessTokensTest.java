package io.pep.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pep.PepTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The 401/403 matrix over every endpoint with tokens on (values and a Docker-secret style file). */
class AccessTokensTest extends PepTestSupport {

    static final String DEVICE = "device-token-1";
    static final String ADMIN = "admin-token-1";
    static final String ADMIN_FROM_FILE = "admin-token-from-file";
    static final String NAMED_DEVICE = "a-device-secret-of-line-7";
    static final String NAMED_ADMIN = "the-lead-engineers-secret";

    /** method, path: gateway calls */
    static final List<String[]> DEVICE_CALLS = List.of(
            new String[] {"GET", "/v3/identity?serialNumber=AUTH-%s&ip=127.0.0.1&port=7777"},
            new String[] {"GET", "/identity?serialNumber=AUTH-ROOT-%s&ip=127.0.0.1&port=7777"},
            new String[] {"GET", "/v3/enrollment-id?serialNumber=NOBODY"},
            new String[] {"GET", "/enrollment-id?serialNumber=NOBODY"},
            new String[] {"GET", "/v3/verification-key?serialNumber=NOBODY"},
            new String[] {"GET", "/verification-key?serialNumber=NOBODY"});
    static final List<String[]> ADMIN_CALLS = List.of(
            new String[] {"GET", "/v3/enrollment-ids"}, new String[] {"GET", "/enrollment-ids?limit=1"},
            new String[] {"GET", "/v3/attempts"}, new String[] {"GET", "/attempts?format=csv"},
            new String[] {"GET", "/v3/exports"}, new String[] {"GET", "/exports"},
            new String[] {"GET", "/v3/exports/csv-20000101T000000Z-000000"}, new String[] {"GET", "/exports/csv-20000101T000000Z-000000"},
            new String[] {"POST", "/v3/exports/csv"}, new String[] {"POST", "/exports/csv"},
            new String[] {"POST", "/v3/exports/upload"}, new String[] {"POST", "/exports/upload"},
            new String[] {"GET", "/observe/metrics"});
    static final List<String> OPEN_CALLS = List.of("/observe/health/ready", "/observe/health/live", "/docs/openapi.yaml");

    private int serial;

    @Override
    protected void overrideProperties(Properties properties) {
        try {
            Path secret = Files.createTempFile("admin-tokens", ".txt");
            Files.writeString(secret, "# Docker secret\n" + ADMIN_FROM_FILE + "\n\n");
            properties.setProperty("pep.auth.admin-tokens-file", secret.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.setProperty("pep.auth.device-tokens", DEVICE + ", device-token-2, line-7:" + NAMED_DEVICE);
        properties.setProperty("pep.auth.admin-tokens", ADMIN + ", lead:" + NAMED_ADMIN);
        properties.setProperty("pep.auth.protect-metrics", "true");
        properties.setProperty("pep.portal.url", "http://127.0.0.1:" + freePort());
        properties.setProperty("pep.portal.retry.max", "0");
        properties.setProperty("pep.export.csv.dir", dataDir().resolve("exports").toString());
    }

    @Test
    void withoutOrWithAWrongTokenEveryProtectedCallIs401() {
        serial = 1000; // serials of its own: the context is shared with the other tests
        List<String[]> all = new ArrayList<>(DEVICE_CALLS);
        all.addAll(ADMIN_CALLS);
        for (String[] call : all) {
            HttpResponse<String> none = send(call, null);
            assertEquals(401, none.statusCode(), call[0] + " " + call[1] + ": " + none.body());
            assertEquals("Bearer realm=\"pep\"", none.headers().firstValue("WWW-Authenticate").orElse(""), call[1]);
            HttpResponse<String> wrong = send(call, "not-a-token");
            assertEquals(401, wrong.statusCode(), call[1]);
            assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), call[1]);
            assertFalse(wrong.body().contains("not-a-token"), "a token is never echoed");
            HttpResponse<String> basic = sendWithHeader(call, "Authorization", "Basic " + DEVICE);
            assertEquals(401, basic.statusCode(), "only the Bearer scheme: " + call[1]);
        }
        for (int i = 1001; i <= serial; i++) {
            assertEquals(0, identities().countDocuments(new org.bson.Document("serialNumber",
                    new org.bson.Document("$in", List.of("AUTH-" + i, "AUTH-ROOT-" + i)))), "nothing provisioned without a token");
        }
    }

    @Test
    void aDeviceTokenMayProvisionAndLookUpButNotAdminister() {
        for (String[] call : DEVICE_CALLS) {
            int status = send(call, DEVICE).statusCode();
            assertTrue(status == 200 || status == 404, call[1] + ": " + status);
        }
        for (String[] call : ADMIN_CALLS) {
            HttpResponse<String> response = send(call, DEVICE);
            assertEquals(403, response.statusCode(), call[0] + " " + call[1] + ": " + response.body());
            assertTrue(response.body().contains("admin token"), response.body());
        }
    }

    @Test
    void anAdminTokenPassesEveryCallAsDoesTheOneFromTheFile() {
        for (String token : List.of(ADMIN, ADMIN_FROM_FILE)) {
            List<String[]> all = new ArrayList<>(DEVICE_CALLS);
            all.addAll(ADMIN_CALLS);
            for (String[] call : all) {
                HttpResponse<String> response = send(call, token);
                assertTrue(response.statusCode() != 401 && response.statusCode() != 403,
                        call[0] + " " + call[1] + ": " + response.statusCode() + " " + response.body());
            }
        }
        assertEquals(200, send(new String[] {"GET", "/v3/enrollment-ids"}, "  " + ADMIN + " ").statusCode(),
                "surrounding blanks are not part of the token");
    }

    @Test
    void tokensNeverReachTheLog() {
        java.io.StringWriter log = new java.io.StringWriter();
        org.apache.logging.log4j.core.LoggerContext logging =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        org.apache.logging.log4j.core.appender.WriterAppender appender = org.apache.logging.log4j.core.appender.WriterAppender
                .newBuilder().setName("token-watch").setTarget(log).build();
        appender.start();
        logging.getConfiguration().getRootLogger().addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        logging.updateLoggers();
        try {
            List<String[]> all = new ArrayList<>(DEVICE_CALLS);
            all.addAll(ADMIN_CALLS);
            for (String[] call : all) {
                send(call, DEVICE);
                send(call, ADMIN);
                send(call, "wrong-token-xyz");
            }
            send(new String[] {"GET", "/v3/identity?serialNumber=fail-LOG&ip=127.0.0.1&port=7777"}, DEVICE);
        } finally {
            logging.getConfiguration().getRootLogger().removeAppender("token-watch");
            logging.updateLoggers();
            appender.stop();
        }
        String text = log.toString();
        assertTrue(text.contains("fail-LOG"), "the log was watched: " + text.length() + " characters");
        for (String token : List.of(DEVICE, ADMIN, "wrong-token-xyz")) {
            assertFalse(text.contains(token), "token in the log");
        }
    }

    @Test
    void oddSpellingsOfAPathDoNotSlipPast() {
        for (String target : List.of("/v3/identit%79?serialNumber=ODD-1&ip=127.0.0.1&port=7777",
                "/v3/./identity?serialNumber=ODD-2&ip=127.0.0.1&port=7777",
                "/v3/x/../identity?serialNumber=ODD-3&ip=127.0.0.1&port=7777",
                "/v3/identity/?serialNumber=ODD-4&ip=127.0.0.1&port=7777",
                "/v3/%61ttempts", "/v3/attempts/", "/exports/csv/")) {
            int status = rawGetStatus(target);
            assertTrue(status == 401 || status == 404 || status == 405, target + " answered " + status); // 405: GET on a POST-only path
        }
        assertEquals(0, identities().countDocuments(new org.bson.Document("serialNumber",
                new org.bson.Document("$regex", "^ODD-"))));
    }

    @Test
    void healthAndDocsStayOpenForProbes() {
        for (String path : OPEN_CALLS) {
            assertEquals(200, send(new String[] {"GET", path}, null).statusCode(), path);
        }
    }

    /**
     * The API is declared in its OpenAPI document: an operation added there under /v3 is never open by
     * mistake (its path must be named in AccessGuard as a device or admin call, at /v3 and at its alias).
     */
    @Test
    void everyDocumentedV3OperationNeedsAToken() throws Exception {
        JsonNode paths;
        try (var in = getClass().getClassLoader().getResourceAsStream("docs/openapi.yaml")) {
            paths = new YAMLMapper().readTree(in).path("paths");
        }
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            if (!path.getKey().startsWith("/v3/")) {
                continue;
            }
            List<String> served = new ArrayList<>(List.of(path.getKey()));
            path.getValue().path("x-pep-also-served-at").forEach(alias -> served.add(alias.asText()));
            for (String method : List.of("get", "post", "put", "delete", "patch")) {
                if (path.getValue().has(method)) {
                    for (String documented : served) {
                        String p = documented.replaceAll("\\{[^}]*}", "x"); // a path parameter ({id}) filled with any value
                        HttpResponse<String> none = send(new String[] {method.toUpperCase(), p}, null);
                        assertEquals(401, none.statusCode(), method + " " + p + " is open: " + none.body());
                        checked++;
                        if (method.equals("get")) { // HEAD asks for the same token, or is not served (405: /v3/identity)
                            int head = send(new String[] {"HEAD", p}, null).statusCode();
                            assertTrue(head == 401 || head == 405 && p.endsWith("/identity"), "HEAD " + p + ": " + head);
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 18, "operations checked: " + checked);
    }

    @Test
    void theAttemptLogAndARetirementNameTheTokenNeverItsValue() throws Exception {
        assertEquals(200, call("GET", "/v3/identity?serialNumber=NAMED-1&ip=127.0.0.1&port=7777",
                "Authorization", "Bearer " + NAMED_DEVICE).statusCode());
        // a caller cannot name itself: the name comes from the token it sent
        assertEquals(200, call("GET", "/v3/identity?serialNumber=NAMED-2&ip=127.0.0.1&port=7777",
                "Authorization", "Bearer " + DEVICE, "X-Pep-Token-Name", "lead").statusCode());
        JsonNode first = io.pep.Eventually.await("the attempts are logged", () -> attempt("NAMED-1"), a -> a != null);
        JsonNode second = io.pep.Eventually.await("the attempts are logged", () -> attempt("NAMED-2"), a -> a != null);
        assertEquals("line-7", first.path("token").asText(), first.toString());
        assertEquals("device-token-1", second.path("token").asText(), "an unnamed token, named by its place: " + second);

        HttpResponse<String> retired = call("POST", "/v3/identities/retire?serialNumber=NAMED-1&reason=rma",
                "Authorization", "Bearer " + NAMED_ADMIN);
        assertEquals(200, retired.statusCode(), retired.body());
        assertTrue(retired.body().contains("\"retiredBy\":\"token 'lead'\""), retired.body());
        String log = call("GET", "/v3/attempts?limit=1000", "Authorization", "Bearer " + ADMIN).body();
        assertFalse(log.contains(NAMED_DEVICE) || log.contains(NAMED_ADMIN), log);
    }

    private JsonNode attempt(String serial) throws Exception {
        JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(call("GET",
                "/v3/attempts?serialNumber=" + serial, "Authorization", "Bearer " + ADMIN).body());
        return page.path("results").isEmpty() ? null : page.path("results").get(0);
    }

    private HttpResponse<String> send(String[] call, String token) {
        return token == null ? sendWithHeader(call, null, null) : sendWithHeader(call, "Authorization", "Bearer " + token);
    }

    private HttpResponse<String> sendWithHeader(String[] call, String header, String value) {
        String path = call[1].contains("%s") ? String.format(call[1], ++serial) : call[1];
        return header == null ? call(call[0], path) : call(call[0], path, header, value);
    }
}
