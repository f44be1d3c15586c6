package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * examples/sites/serial-pattern-then-mes-check: the bundled hook-chain template runs serial-pattern,
 * then mes-check. The stand-in MES decides by prefix, so the pattern here admits its prefixes.
 */
class SerialPatternThenMesCheckExampleTest extends SiteTestSupport {

    private StandInMes mes;

    @Override
    protected Path siteFolder() {
        return example("serial-pattern-then-mes-check");
    }

    @Override
    protected void siteProperties(Properties properties) {
        mes = new StandInMes();
        properties.setProperty("camel.route-template[serial-pattern].pattern", "(OK|NO|ERR)-[0-9]{4}");
        properties.setProperty("camel.route-template[mes-check].url", mes.url());
        properties.setProperty("camel.route-template[mes-check].timeout", "1000");
    }

    @AfterAll
    void stopMes() {
        mes.stop();
    }

    @Test
    void aSerialBreakingThePatternIsRefusedWith400WithoutAskingTheMes() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=OK-12&ip=127.0.0.1&port=7777");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("Invalid request: parameter 'serialNumber' must match (OK|NO|ERR)-[0-9]{4}\n", response.body());
        assertFalse(mes.asked().contains("OK-12"), "the chain stopped at the first refusal");
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "OK-12")));
    }

    @Test
    void aSerialMatchingThePatternIsThenCheckedWithTheMes() {
        HttpResponse<String> refused = get("/v3/identity?serialNumber=NO-1234&ip=127.0.0.1&port=7777");
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("The factory MES does not allow serialNumber 'NO-1234' to be provisioned\n", refused.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "NO-1234")));

        HttpResponse<String> unavailable = get("/v3/identity?serialNumber=ERR-1234&ip=127.0.0.1&port=7777");
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "ERR-1234")));

        HttpResponse<String> allowed = get("/v3/identity?serialNumber=OK-1234&ip=127.0.0.1&port=7777");
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertTrue(mes.asked().containsAll(java.util.List.of("NO-1234", "ERR-1234", "OK-1234")), mes.asked().toString());
        assertFalse(allowed.headers().firstValue(StandInMes.INTERNAL_HEADER).isPresent());
        assertEquals(1, identities().countDocuments(new Document("serialNumber", "OK-1234").append("deployed", true)));
        assertFalse(toolLogText().contains("NO-1234") || toolLogText().contains("ERR-1234"),
                "the factory tool ran only for the allowed serial");
    }
}
