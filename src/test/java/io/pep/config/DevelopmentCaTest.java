package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fresh data folder gets the development FCU CA only when the configured tool reads it: pep's
 * injector (the default, exec or in-process) does, a custom tool does not, and pep starts without it.
 */
class DevelopmentCaTest {

    @Test
    void aCustomToolStartsOnAFreshFolderWithoutADevelopmentCa() throws Exception {
        Path data = PepMain.tempDir("dev-ca-custom");
        PepMain pep = PepMain.start(Map.of("pep.data.dir", data.toString(), "pep.tool.kind", "custom",
                "pep.tool.executable", "/bin/echo", "pep.tool.args", "enrollment id: A-{serialNumber}"));
        try {
            assertEquals(200, listing(pep.port()));
            assertFalse(Files.exists(data.resolve("dev-fcu-config")), "no development CA for a custom tool");
        } finally {
            pep.stop();
        }
    }

    @Test
    void theDefaultToolGetsTheDevelopmentCaOnAFreshFolder() throws Exception {
        Path data = PepMain.tempDir("dev-ca-default");
        PepMain pep = PepMain.start(Map.of("pep.data.dir", data.toString()));
        try {
            assertEquals(200, listing(pep.port()));
            assertTrue(Files.isRegularFile(data.resolve("dev-fcu-config/keystore/CA_cert.pem")),
                    "pep-inject reads the development CA");
        } finally {
            pep.stop();
        }
    }

    private static int listing(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v3/enrollment-ids?limit=1")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
