package io.pep.attempts;

import static io.pep.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepTestSupport;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Old attempts go: the embedded store has no TTL expiry, so the purge route removes them. */
class AttemptRetentionTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.attempts.retention", "5s");
        properties.setProperty("pep.attempts.purge-interval", "300");
    }

    @Test
    void attemptsOlderThanTheRetentionArePurged() throws Exception {
        assertEquals(200, get("/v3/identity?serialNumber=RET-1&ip=127.0.0.1&port=7777").statusCode());
        // seen once: logged, and kept while younger than the retention (checked in the same poll, as a
        // second look could come after the retention on a busy machine)
        await("the attempt is logged and kept while young", () -> count() == 1);
        await("the attempt is purged once older than the retention", () -> count() == 0);
        assertEquals(200, get("/v3/enrollment-id?serialNumber=RET-1").statusCode(), "only attempts are purged");
    }

    private int count() throws Exception {
        return JSON.readTree(get("/v3/attempts?serialNumber=RET-1").body()).path("results").size();
    }
}
