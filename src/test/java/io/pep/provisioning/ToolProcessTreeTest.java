package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A hung tool never hangs a request: at pep.tool.timeout the tool's whole process tree ends
 * (SIGTERM, then SIGKILL after pep.tool.kill-grace), the request gets 504, and the tool slot and
 * the serial are free again. Real processes: fake-ft-demo's tree* runs {@code sleep 100000 & wait}
 * (the background sleep keeps stdout open), deaf* does the same ignoring SIGTERM.
 */
class ToolProcessTreeTest extends PepTestSupport {

    private static final int TIMEOUT_MS = 1500;
    private static final int GRACE_MS = 500;
    private static final Pattern PIDS = Pattern.compile("PID=(\\d+) CHILD=(\\d+)");

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.timeout", String.valueOf(TIMEOUT_MS));
        properties.setProperty("pep.tool.kill-grace", String.valueOf(GRACE_MS));
        properties.setProperty("pep.tool.max-concurrent", "1");
        properties.setProperty("pep.tool.queue-wait", "200");
    }

    @Test
    void aToolWaitingOnABackgroundChildIsEndedWithItAnd504FreesSlotAndSerial() throws Exception {
        assertTreeEndedAnswered504("tree-1");
    }

    @Test
    void aToolIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        assertTreeEndedAnswered504("deaf-1");
    }

    private void assertTreeEndedAnswered504(String serial) throws Exception {
        HttpResponse<String> response = get("/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777");

        assertEquals(504, response.statusCode(), response.body());
        assertTrue(response.body().contains("did not finish within " + TIMEOUT_MS + " ms and was stopped with its"
                + " child processes"), response.body());
        assertTrue(response.body().contains("the same serial can be retried"), response.body());
        assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", serial)), "the reservation was removed");
        for (long pid : pids(serial)) {
            assertGone(pid);
        }
        // the only tool slot is free again (queue-wait 200 ms would answer 503 otherwise)
        HttpResponse<String> next = get("/v3/identity?serialNumber=" + serial.toUpperCase() + "-NEXT&ip=127.0.0.1&port=7777");
        assertEquals(200, next.statusCode(), next.body());
    }

    private List<Long> pids(String serial) {
        String log = toolLogText();
        int from = log.indexOf("ARG=--serial-number=" + serial);
        assertTrue(from >= 0, log);
        Matcher matcher = PIDS.matcher(log.substring(from));
        if (!matcher.find()) {
            fail("the tool logged no PIDs: " + log);
        }
        return List.of(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
    }

    static void assertGone(long pid) {
        io.pep.Eventually.await("process " + pid + " ended", () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
