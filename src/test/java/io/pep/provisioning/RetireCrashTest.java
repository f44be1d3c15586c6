package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepMain;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged retirement survives {@code kill -9} of pep: a real pep process on its embedded
 * store retires identities it has just provisioned (their journal entries are still checked at the
 * next start) and is killed the moment the last retirement is answered. Restarted on the same data
 * folder, every retired identity is still retired (the journal replay does not bring one back) and
 * each serial is provisioned again with a new identity.
 */
class RetireCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath().toString();
    private PepProcess pep;

    @AfterEach
    void stop() throws Exception {
        if (pep != null) {
            pep.close();
        }
    }

    @Test
    void anAcknowledgedRetirementSurvivesKill9() throws Exception {
        Path dataDir = PepMain.tempDir("pep-retire-crash");
        int port = PepMain.freePort();
        Map<String, String> env = Map.of("PEP_TOOL_EXECUTABLE", FAKE_TOOL);
        pep = PepProcess.start(dataDir, port, env);
        // the second round runs on the pep restarted after the first kill (its journal replayed)
        for (int round = 0; round < 2; round++) {
            String[] retiredIds = new String[3];
            for (int n = 0; n < retiredIds.length; n++) {
                String serial = "rework-crash-" + round + "-" + n;
                HttpResponse<String> provisioned = pep.get("/v3/identity?ip=127.0.0.1&port=7777&serialNumber=" + serial);
                assertEquals(200, provisioned.statusCode(), provisioned.body());
                retiredIds[n] = JSON.readTree(provisioned.body()).path("enrollmentID").asText();
            }
            for (int n = 0; n < retiredIds.length; n++) {
                HttpResponse<String> retired = pep.post("/v3/identities/retire?reason=rma&serialNumber=rework-crash-" + round + "-" + n);
                assertEquals(200, retired.statusCode(), retired.body());
            }
            pep.kill();

            pep = PepProcess.start(dataDir, port, env);
            for (int n = 0; n < retiredIds.length; n++) {
                String serial = "rework-crash-" + round + "-" + n;
                JsonNode history = JSON.readTree(pep.get("/v3/identities/history?serialNumber=" + serial).body());
                assertEquals(1, history.path("identities").size(), "round " + round + ": " + history);
                assertEquals("retired", history.path("identities").get(0).path("state").asText(), history.toString());
                assertEquals(retiredIds[n], history.path("identities").get(0).path("enrollmentID").asText());
                assertEquals(404, pep.get("/v3/enrollment-id?serialNumber=" + serial).statusCode(),
                        "round " + round + ": the retired identity came back after kill -9");
            }
            String serial = "rework-crash-" + round + "-0";
            HttpResponse<String> again = pep.get("/v3/identity?ip=127.0.0.1&port=7777&serialNumber=" + serial);
            assertEquals(200, again.statusCode(), again.body());
            assertNotEquals(retiredIds[0], JSON.readTree(again.body()).path("enrollmentID").asText());
        }
    }
}
