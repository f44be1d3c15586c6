package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A vendor tool's output (ft_demo-like) is read for what the gateway said: a ReturnStatus with
 * its InfoMessage and WarningInfo becomes the 500 refusal text; a Python "Connection refused"
 * becomes the unreachable answer with the "is it running?" hint; anything else stays 500.
 */
class VendorToolOutputTest extends PepTestSupport {

    @Test
    void aRefusalInTheVendorToolsOutputIsNamedInTheAnswer() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=vendorrefused-1&ip=127.0.0.1&port=7777");

        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("Provisioning of 'vendorrefused-1' failed: gateway refused the bundle:"
                + " ReturnStatus 13 Certificate expired:mbed.UpdateAuthCert (factory client at 127.0.0.1:7777)"
                + " (WarningInfo: Item not set:mbed.Timezone)."), response.body());
        assertFalse(response.body().contains("Make sure the factory client"), response.body());
        assertEquals(1, response.body().strip().lines().count(), "one line");
        assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", "vendorrefused-1")));
    }

    @Test
    void aConnectionRefusedInTheVendorToolsOutputIsAnUnreachableGateway() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=vendordown-1&ip=127.0.0.1&port=7777");

        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().contains("gateway unreachable"), response.body());
        assertTrue(response.body().contains("Make sure the factory client (FCC, fcc-example) is running on the gateway"
                + " at 127.0.0.1:7777"), response.body());
    }

    @Test
    void anUnexplainedToolFailureStays500WithoutTheHint() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=fail-vendor&ip=127.0.0.1&port=7777");

        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().contains("the factory tool exited with code 1 (gateway 127.0.0.1:7777)"),
                response.body());
        assertFalse(response.body().contains("Make sure the factory client"), response.body());
    }
}
