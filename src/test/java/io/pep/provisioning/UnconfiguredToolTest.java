package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Without a factory tool the server still starts; provisioning says how to configure one. */
class UnconfiguredToolTest extends PepTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.executable", dataDir().resolve("no-such-tool").toString());
    }

    @Test
    void identityAnswers503WithWhatToSet() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=SN-1&ip=127.0.0.1&port=7777");

        assertEquals(503, response.statusCode());
        assertTrue(response.body().contains("pep.tool.executable"), response.body());
        assertTrue(response.body().contains("PEP_TOOL_EXECUTABLE"), response.body());
        assertEquals(0, identities().countDocuments());
    }

    @Test
    void theRestOfTheApiWorks() {
        assertEquals(200, get("/v3/enrollment-ids").statusCode());
        assertEquals(404, get("/v3/enrollment-id?serialNumber=SN-1").statusCode());
    }
}
