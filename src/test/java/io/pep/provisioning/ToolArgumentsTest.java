package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Placeholders are filled in one pass over pep.tool.args: a serial that contains {@code {port}}
 * or {@code {ip}} reaches the tool as written, so the name injected is the name recorded and a
 * second gateway cannot get the same certificate name under another serial.
 */
class ToolArgumentsTest extends PepTestSupport {

    @Test
    void aSerialContainingPlaceholdersReachesTheToolAsWritten() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=" + q("GW-A{port}{ip}{serialNumber}")
                + "&ip=127.0.0.1&port=17901");

        assertEquals(200, response.statusCode(), response.body());
        String log = toolLogText();
        assertTrue(log.contains("ARG=--serial-number=GW-A{port}{ip}{serialNumber}\n"), log);
        assertTrue(log.contains("ARG=--endpoint-name=GW-A{port}{ip}{serialNumber}\n"), log);
        assertFalse(log.contains("GW-A17901"), log);
        assertTrue(response.body().contains(fakeEnrollmentId("GW-A{port}{ip}{serialNumber}")), response.body());

        HttpResponse<String> other = get("/v3/identity?serialNumber=GW-A17901127.0.0.1&ip=127.0.0.1&port=17901");
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(1, identities().countDocuments(Filters.eq("serialNumber", "GW-A{port}{ip}{serialNumber}")));
    }

    @Test
    void fillingIsOnePassAndKeepsUnknownBraces() {
        Map<String, String> values = Map.of("serialNumber", "{ip}{port}$1\\", "ip", "::1", "port", "7");
        assertEquals("--endpoint-name={ip}{port}$1\\", FactoryTool.fill("--endpoint-name={serialNumber}", values));
        assertEquals("::1:7{other}{", FactoryTool.fill("{ip}:{port}{other}{", values));
    }
}
