package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** examples/sites/strict-serial-pattern: the bundled serial-pattern template, turned on by properties only. */
class StrictSerialPatternExampleTest extends SiteTestSupport {

    @Override
    protected Path siteFolder() {
        return example("strict-serial-pattern");
    }

    @Test
    void aSerialMatchingThePatternIsProvisioned() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=GW-20261126&ip=127.0.0.1&port=7777");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void anyOtherSerialIsRefusedWith400NamingTheParameterAndNothingIsWritten() {
        for (String serial : new String[] {"GW-1234567", "gw-12345678", "GW-12345678-X", "X GW-12345678", "SN1"}) {
            HttpResponse<String> response = get("/v3/identity?serialNumber=" + q(serial) + "&ip=127.0.0.1&port=7777");
            assertEquals(400, response.statusCode(), serial);
            assertEquals("Invalid request: parameter 'serialNumber' must match GW-[0-9]{8}\n", response.body());
            assertEquals(0, identities().countDocuments(new Document("serialNumber", serial)));
            assertFalse(toolLogText().contains(serial), "the factory tool was not run for " + serial);
        }
    }
}
