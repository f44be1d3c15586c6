package io.pep.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import io.pep.provisioning.PepProcess;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * No secret setting's value reaches pep's log or an answer: access tokens (listed and from a
 * file), the portal's API key, a keystore password and the password in MONGO_URI, given as an
 * operator gives them (environment variables), through a start, Camel's settings summary, gateway
 * and admin calls with right, wrong and near-miss tokens, and a store that cannot be reached.
 */
class SecretsInLogTest {

    private static String secret(String kind) {
        return kind + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void noSecretValueAppearsInTheLogOrInAnyAnswer() throws Exception {
        String adminToken = secret("admin");
        String deviceToken = secret("device");
        String fileToken = secret("filed");
        String portalKey = secret("portal");
        String keystorePassword = secret("keystore");
        String mongoPassword = secret("mongo");
        Path dataDir = PepMain.tempDir("pep-secrets");
        Path tokensFile = dataDir.resolve("device-tokens.txt");
        Files.writeString(tokensFile, fileToken + "\n");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed: the store is down
        }
        List<String> answers = new ArrayList<>();
        int port = PepMain.freePort();
        try (PepProcess pep = PepProcess.start(dataDir, port, Map.of(
                "PEP_AUTH_ADMIN_TOKENS", adminToken,
                "PEP_AUTH_DEVICE_TOKENS", deviceToken,
                "PEP_AUTH_DEVICE_TOKENS_FILE", tokensFile.toString(),
                "PEP_PORTAL_API_KEY", portalKey,
                "PEP_TLS_KEYSTORE_PASSWORD", keystorePassword,
                "PEP_MONGO_TIMEOUT_MS", "300",
                "MONGO_URI", "mongodb://pep:" + mongoPassword + "@127.0.0.1:" + closedPort + "/mbed_manufacturing_db"),
                p -> p.get("/observe/health/live").statusCode() == 200)) {
            String identity = "/v3/identity?serialNumber=SECRET-1&ip=127.0.0.1&port=1";
            for (String token : List.of(deviceToken, fileToken, adminToken, deviceToken + "x", adminToken.substring(1), "nonsense")) {
                answers.add(text(pep.get(identity, "Authorization", "Bearer " + token)));
                answers.add(text(pep.get("/v3/enrollment-ids", "Authorization", "Bearer " + token)));
                answers.add(text(pep.get("/v3/enrollment-id?serialNumber=SECRET-1", "Authorization", "Bearer " + token)));
            }
            answers.add(text(pep.get("/observe/health/ready")));
            answers.add(text(pep.get("/v3/exports", "Authorization", "Bearer " + adminToken)));
        }
        String log = PepProcess.log(dataDir);
        // the log read is the whole one: Camel's settings summary and the store's outage are in it
        assertTrue(log.contains("pep.auth.admin-tokens"), "Camel's settings summary is in the log");
        assertTrue(log.contains("mongo.uri"), "Camel's settings summary lists MONGO_URI");
        assertTrue(log.contains("Store: MongoDB at 127.0.0.1:" + closedPort + " (MONGO_URI, user 'pep', password not shown)"),
                "pep's own line says which MongoDB, without its password");
        for (String value : List.of(adminToken, deviceToken, fileToken, portalKey, keystorePassword, mongoPassword)) {
            assertFalse(log.contains(value), "the log holds a secret: " + value.substring(0, value.indexOf('-')));
            for (String answer : answers) {
                assertFalse(answer.contains(value), "an answer holds a secret: " + answer);
            }
        }
    }

    private static String text(HttpResponse<String> answer) {
        return answer.statusCode() + " " + answer.headers().map() + " " + answer.body();
    }
}
