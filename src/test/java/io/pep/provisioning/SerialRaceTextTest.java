package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests for one serial that all pass the early look-up meet at the reservation's
 * unique index: the losers' 409 starts with the original server's sentence too.
 */
class SerialRaceTextTest extends PepTestSupport {

    private static final String ORIGINAL = "Identity with this serial number exists already!";

    @Test
    void everyRefusalOfARaceStartsWithTheOriginalSentence() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> provision("SN-RACE-TEXT")));
            }
            int ok = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                if (response.statusCode() == 200) {
                    ok++;
                } else if (response.statusCode() == 409) {
                    assertTrue(response.body().startsWith(ORIGINAL + " "), response.body());
                } else {
                    assertEquals(409, response.statusCode(), response.body());
                }
            }
            assertEquals(1, ok);
            assertTrue(answers.size() > 1);
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> provision(String serial) {
        return get("/v3/identity?serialNumber=" + q(serial) + "&ip=127.0.0.1&port=7777");
    }
}
