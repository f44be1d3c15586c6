package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A serial that has a record gets 409 at once, with the original server's sentence first (old
 * scripts grep identity.json for it), even while every tool slot is taken: busy is not a conflict.
 */
class KnownSerialTest extends PepTestSupport {

    private static final String ORIGINAL = "Identity with this serial number exists already!";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.max-concurrent", "1");
        properties.setProperty("pep.tool.queue-wait", "300");
        // the hanging run must outlast this test's requests, also on a busy machine
        properties.setProperty("pep.tool.timeout", "15000");
    }

    @Test
    void aKnownSerialGets409NotBusyWhileEverySlotIsTaken() throws Exception {
        assertEquals(200, provision("SN-KNOWN").statusCode());
        CompletableFuture<HttpResponse<String>> hanging = CompletableFuture.supplyAsync(() -> provision("hang-known"));
        waitUntilToolRuns("hang-known");

        HttpResponse<String> deployed = provision("SN-KNOWN");
        HttpResponse<String> inFlight = provision("hang-known");
        HttpResponse<String> unknown = provision("SN-NEW");

        assertEquals(409, deployed.statusCode(), deployed.body());
        assertTrue(deployed.body().startsWith(ORIGINAL + " "), deployed.body());
        assertTrue(deployed.body().contains("'SN-KNOWN'"), deployed.body());
        assertEquals(409, inFlight.statusCode(), "a serial being provisioned is taken too: " + inFlight.body());
        assertTrue(inFlight.body().startsWith(ORIGINAL), inFlight.body());
        assertEquals(503, unknown.statusCode(), "a new serial still queues for a slot: " + unknown.body());
        assertEquals(504, hanging.get().statusCode());
    }

    private HttpResponse<String> provision(String serial) {
        return get("/v3/identity?serialNumber=" + q(serial) + "&ip=127.0.0.1&port=7777");
    }

    private void waitUntilToolRuns(String serial) {
        io.pep.Eventually.await("the tool runs for " + serial, () -> toolLogText().contains("ARG=--serial-number=" + serial));
    }
}
