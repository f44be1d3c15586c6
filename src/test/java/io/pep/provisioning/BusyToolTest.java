package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Over the concurrency cap a request waits a bounded time, then gets 503 with Retry-After. */
class BusyToolTest extends PepTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.max-concurrent", "1");
        properties.setProperty("pep.tool.queue-wait", "300");
        // the hanging run must outlast this test's requests, also on a busy machine
        properties.setProperty("pep.tool.timeout", "15000");
    }

    @Test
    void aRequestOverTheCapIsTurnedAwayAndCanRetryLater() throws Exception {
        CompletableFuture<HttpResponse<String>> hanging =
                CompletableFuture.supplyAsync(() -> get("/v3/identity?serialNumber=hang-busy&ip=127.0.0.1&port=7777"));
        waitUntilToolRuns("hang-busy");

        HttpResponse<String> turnedAway = get("/v3/identity?serialNumber=SN-WAIT&ip=127.0.0.1&port=7777");

        assertEquals(503, turnedAway.statusCode(), turnedAway.body());
        assertTrue(turnedAway.headers().firstValue("Retry-After").isPresent());
        assertTrue(turnedAway.body().contains("busy"), turnedAway.body());
        assertEquals(0, identities().countDocuments(com.mongodb.client.model.Filters.eq("serialNumber", "SN-WAIT")));

        assertEquals(504, hanging.get().statusCode());
        assertEquals(200, get("/v3/identity?serialNumber=SN-WAIT&ip=127.0.0.1&port=7777").statusCode(),
                "the slot is free again once the hanging run was killed");
    }

    private void waitUntilToolRuns(String serial) {
        io.pep.Eventually.await("the tool runs for " + serial, () -> toolLogText().contains("ARG=--serial-number=" + serial));
    }
}
