package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** examples/sites/station-network-only (a hook route the site writes) with its own properties. */
class StationNetworkOnlyExampleTest extends SiteTestSupport {

    @Override
    protected Path siteFolder() {
        return example("station-network-only");
    }

    @Test
    void aGatewayOnTheStationNetworkIsProvisioned() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=SN-STATION-1&ip=192.168.20.7&port=7777");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void aGatewayOnAnotherNetworkIsRefusedWith403AndNothingIsWritten() {
        for (String ip : new String[] {"192.168.21.7", "192.168.201.7", "10.0.0.7"}) {
            String serial = "SN-ELSEWHERE-" + ip;
            HttpResponse<String> response = get("/v3/identity?serialNumber=" + serial + "&ip=" + ip + "&port=7777");
            assertEquals(403, response.statusCode(), ip + ": " + response.body());
            assertEquals("Gateway '" + serial + "' at " + ip + " is not on this station's network (192.168.20.*): "
                    + "provision it at its own station\n", response.body());
            assertEquals(0, identities().countDocuments(new Document("serialNumber", serial)));
            assertFalse(toolLogText().contains(serial), "the factory tool was not run for " + ip);
        }
    }
}
