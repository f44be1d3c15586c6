package io.pep.attempts;

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
        properties.setProperty("pep.attempts.retention", "2s");
        properties.setProperty("pep.attempts.purge-interval", "300");
    }

    @Test
    void attemptsOlderThanTheRetentionArePurged() throws Exception {
        assertEquals(200, get("/v3/identity?serialNumber=RET-1&ip=127.0.0.1&port=7777").statusCode());
        long deadline = System.currentTimeMillis() + 10_000;
        while (count() == 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the attempt was never logged");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        assertEquals(1, count(), "logged, and kept while younger than the retention");
        deadline = System.currentTimeMillis() + 15_000;
        while (count() != 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not purged within 15 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
        assertEquals(200, get("/v3/enrollment-id?serialNumber=RET-1").statusCode(), "only attempts are purged");
    }

    private int count() throws Exception {
        return JSON.readTree(get("/v3/attempts?serialNumber=RET-1").body()).path("results").size();
    }
}
