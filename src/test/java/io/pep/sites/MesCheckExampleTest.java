package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/sites/mes-check (properties only: the bundled mes-check template) against a stand-in MES
 * on loopback (a real HTTP server): it allows serials starting "OK-", answers 404 for "NO-", 500 for
 * "ERR-" and too late for "SLOW-".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesCheckExampleTest extends SiteTestSupport {

    private StandInMes mes;

    @Override
    protected Path siteFolder() {
        return example("mes-check");
    }

    @Override
    protected void siteProperties(Properties properties) {
        properties.setProperty("camel.route-template[mes-check].url", mes().url());
        properties.setProperty("camel.route-template[mes-check].timeout", "1000");
    }

    // created lazily: the Camel test base class asks for the properties from its constructor
    private synchronized StandInMes mes() {
        if (mes == null) {
            mes = new StandInMes();
        }
        return mes;
    }

    @AfterAll
    void stopMes() {
        mes.stop();
    }

    @Test
    @Order(1)
    void anAllowedSerialIsProvisionedAndTheSerialIsSentUrlEncoded() {
        String serial = "OK-A&B =+/é?#1";
        HttpResponse<String> response = get("/v3/identity?serialNumber=" + q(serial) + "&ip=127.0.0.1&port=7777");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(serial), mes.asked(), "the MES got the serial exactly, as one parameter");
        assertFalse(response.headers().firstValue(StandInMes.INTERNAL_HEADER).isPresent());
        assertEquals(1, identities().countDocuments(new Document("serialNumber", serial).append("deployed", true)));
    }

    @Test
    @Order(2)
    void aSerialTheMesDoesNotKnowIsRefusedWith403AndNothingHappens() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=NO-1&ip=127.0.0.1&port=7777");
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("The factory MES does not allow serialNumber 'NO-1' to be provisioned\n", response.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "NO-1")), "nothing written");
        assertFalse(toolLogText().contains("NO-1"), "the factory tool was not run");
    }

    @Test
    @Order(3)
    void aFailingOrSlowMesAnswers503WithRetryAfter() {
        for (String serial : List.of("ERR-1", "SLOW-1")) {
            HttpResponse<String> response = get("/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777");
            assertEquals(503, response.statusCode(), serial + ": " + response.body());
            assertTrue(response.body().contains("'" + serial + "'") && response.body().contains("retry later"),
                    response.body());
            assertEquals("30", response.headers().firstValue("Retry-After").orElse(null));
            if (serial.startsWith("SLOW-")) {
                assertFalse(mes.answered().contains(serial), "the timeout parameter bounds the wait: pep answered first");
            }
            assertEquals(0, identities().countDocuments(new Document("serialNumber", serial)));
            assertFalse(toolLogText().contains(serial), "the factory tool was not run");
        }
    }

    @Test
    @Order(4)
    void aMesThatIsDownAnswers503() {
        mes.stop();
        HttpResponse<String> response = get("/v3/identity?serialNumber=OK-WHILE-DOWN&ip=127.0.0.1&port=7777");
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("The factory MES could not be asked whether serialNumber "
                + "'OK-WHILE-DOWN' may be provisioned"), response.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "OK-WHILE-DOWN")));
    }
}
