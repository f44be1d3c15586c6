package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * examples/sites/mes-check-in-routes-folder: the bundled mes-check template turned on by a
 * templatedRoute file in pep.routes.dir (the docker-compose way), here with the stand-in MES's URL
 * in place of the factory's.
 */
class MesCheckInRoutesFolderExampleTest extends SiteTestSupport {

    private static final String EXAMPLE_URL = "http://mes.factory.lan:8080/api/provisioning/allowed";

    private Path folder;
    private StandInMes mes;

    @Override
    protected Path siteFolder() {
        if (folder == null) {
            mes = new StandInMes();
            Path example = example("mes-check-in-routes-folder");
            folder = newTempDir("pep-site-mes-file");
            try {
                String routes = Files.readString(example.resolve("mes-check.camel.yaml"));
                assertTrue(routes.contains(EXAMPLE_URL), "the example names the MES this test replaces");
                write(folder.resolve("mes-check.camel.yaml"), routes.replace(EXAMPLE_URL, mes.url()));
                Files.copy(example.resolve("application.properties"), folder.resolve("application.properties"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    @AfterAll
    void stopMes() {
        mes.stop();
    }

    @Test
    void anAllowedSerialIsProvisioned() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=OK-FILE-1&ip=127.0.0.1&port=7777");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(mes.asked().contains("OK-FILE-1"));
        assertFalse(response.headers().firstValue(StandInMes.INTERNAL_HEADER).isPresent());
        assertEquals(1, identities().countDocuments(new Document("serialNumber", "OK-FILE-1").append("deployed", true)));
    }

    @Test
    void aSerialTheMesRefusesAnswers403AndNothingIsWritten() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=NO-FILE-1&ip=127.0.0.1&port=7777");
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("The factory MES does not allow serialNumber 'NO-FILE-1' to be provisioned\n", response.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "NO-FILE-1")));
        assertFalse(toolLogText().contains("NO-FILE-1"), "the factory tool was not run");
    }

    @Test
    void aFailingMesAnswers503() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=ERR-FILE-1&ip=127.0.0.1&port=7777");
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("The factory MES answered 500 when asked about serialNumber 'ERR-FILE-1'; nothing was changed, "
                + "retry later\n", response.body());
        assertEquals("30", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "ERR-FILE-1")));
    }
}
