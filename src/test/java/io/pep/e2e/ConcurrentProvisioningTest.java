package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.gateway.FccSimulator;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Sixteen gateways provisioned at once, again and again, on the default (durable) embedded store:
 * every one gets its identity and the store still answers afterwards. The store commits every write
 * from the writer's thread while others go on; under bench/inject-bench.sh's load (c16, ~500/s) a
 * stored document changed during such a commit once made the MVStore fail
 * (ConcurrentModificationException) and close itself, and every later request was answered 500.
 * This test runs the same shape at a test's pace; it did not hit that race by itself, the bench did
 * (6000 of 6000 failed before the fix in OrderedH2Collection, 0 after).
 */
class ConcurrentProvisioningTest extends EndToEndSupport {

    private static final int GATEWAYS = 16;
    private static final int ROUNDS = 60;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.mode", "in-process");
        properties.setProperty("pep.tool.max-concurrent", String.valueOf(GATEWAYS));
    }

    @Test
    void sixteenGatewaysAtOnceAreAllProvisionedAndTheStoreStaysUp() throws Exception {
        List<FccSimulator> gateways = new ArrayList<>();
        for (int g = 0; g < GATEWAYS; g++) {
            gateways.add(healthyGateway());
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int g = 0; g < GATEWAYS; g++) {
            int gateway = g;
            Thread client = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < ROUNDS; round++) {
                        HttpResponse<String> answer = provision("CP-" + gateway + "-" + round, gateways.get(gateway).port());
                        if (answer.statusCode() != 200) {
                            failures.add(answer.statusCode() + " " + answer.body());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            client.start();
            clients.add(client);
        }
        start.countDown();
        for (Thread client : clients) {
            client.join(300_000);
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + GATEWAYS * ROUNDS + " failed, first: " + failures.peek());
        assertEquals(200, provision("CP-AFTER", gateways.get(0).port()).statusCode(), "the store still answers");
    }
}
