package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A serial being provisioned is answered 409 at once, whatever the load: a 503 "busy" promises the
 * serial is free to retry, so neither a full provisioning lane nor full tool slots may answer it for
 * a serial in progress. Real HTTP, real tool processes (blocking-tool holds its run until released).
 */
class ConcurrentDuplicatesTest extends PepTestSupport {

    private static final int LANE = 8;
    private static final String ORIGINAL = SerialInUse.ORIGINAL_TEXT;

    private static final String DEVICE_TOKEN = "line-7-device-token";

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.executable", PepProcess.BLOCKING_TOOL.toString());
        properties.setProperty("pep.tool.env", "BLOCK_DIR=" + blockDir());
        properties.setProperty("pep.tool.timeout", "120000");
        properties.setProperty("pep.tool.max-concurrent", "2");
        properties.setProperty("pep.tool.queue-wait", "60000");
        properties.setProperty("pep.server.provisioning-threads", String.valueOf(LANE));
        properties.setProperty("pep.auth.device-tokens", DEVICE_TOKEN);
    }

    @Test
    void aHundredConcurrentRequestsForOneSerialGetOne200AndNinetyNine409() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(provisionAsync("DUP-BURST"));
        }
        // the one run that got through holds its tool until released: every other answer comes meanwhile
        try {
            awaitTrue(() -> answers.stream().filter(CompletableFuture::isDone).count() >= 99, 60_000);
        } finally {
            release();
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Map<Integer, Long> byStatus = answers.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertEquals(Map.of(200, 1L, 409, 99L), byStatus, () -> "statuses: " + byStatus + ", e.g. "
                + answers.stream().map(CompletableFuture::join).filter(a -> a.statusCode() != 200 && a.statusCode() != 409)
                        .map(HttpResponse::body).findFirst().orElse("-"));
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.join();
            if (response.statusCode() == 409) {
                assertEquals(ORIGINAL + " Gateway with serialNumber 'DUP-BURST' already has an identity (or is being"
                        + " provisioned right now); a serial is provisioned once.\n", response.body());
                assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            }
        }
        assertEquals(1, Files.readAllLines(blockDir().resolve("started-DUP-BURST")).size(), "the tool ran once");
    }

    @Test
    void withEveryProvisioningThreadTakenASerialInProgressGets409AndAFreeOne503() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> filling = new ArrayList<>();
        for (int i = 0; i < LANE; i++) {
            filling.add(provisionAsync("FILL-" + i));
        }
        try {
            // two runs hold the tool slots, six wait for one: every provisioning thread is taken
            awaitTrue(() -> started("FILL-") == 2 && serialsInFlight().size() == LANE, 60_000);

            HttpResponse<String> withoutToken = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                    + "/v3/identity?serialNumber=FILL-5&ip=127.0.0.1&port=7777")).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
            assertEquals(401, withoutToken.statusCode(), "a caller without a token learns nothing of the serial: "
                    + withoutToken.body());
            HttpResponse<String> inProgress = provisionAsync("FILL-5").get(30, TimeUnit.SECONDS);
            assertEquals(409, inProgress.statusCode(), inProgress.body());
            assertTrue(inProgress.body().startsWith(ORIGINAL + " Gateway with serialNumber 'FILL-5'"), inProgress.body());
            HttpResponse<String> free = provisionAsync("FREE-1").get(30, TimeUnit.SECONDS);
            assertEquals(503, free.statusCode(), free.body());
            assertTrue(free.body().startsWith("pep is busy"), free.body());
        } finally {
            release();
        }
        for (CompletableFuture<HttpResponse<String>> answer : filling) {
            assertEquals(200, answer.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(0, serialsInFlight().size(), "every claim was given back");
        assertEquals(200, provisionAsync("FREE-1").get(30, TimeUnit.SECONDS).statusCode(), "the free serial was free");
    }

    /** Both tests share one pep: each starts with its tool runs blocked again. */
    @BeforeEach
    void blockTheTool() throws java.io.IOException {
        Files.createDirectories(blockDir());
        Files.deleteIfExists(blockDir().resolve("release"));
    }

    private Path blockDir() {
        return dataDir().resolve("block");
    }

    private CompletableFuture<HttpResponse<String>> provisionAsync(String serial) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/v3/identity?serialNumber="
                + q(serial) + "&ip=127.0.0.1&port=7777")).header("Authorization", "Bearer " + DEVICE_TOKEN)
                .timeout(Duration.ofSeconds(120)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private SerialsInFlight serialsInFlight() {
        return context.getRegistry().lookupByNameAndType("serialsInFlight", SerialsInFlight.class);
    }

    private long started(String prefix) {
        try (var files = Files.list(blockDir())) {
            return files.filter(f -> f.getFileName().toString().startsWith("started-" + prefix)).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private void release() throws java.io.IOException {
        if (!Files.exists(blockDir().resolve("release"))) {
            Files.createFile(blockDir().resolve("release"));
        }
    }

    private static void awaitTrue(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException transientFailure) {
                // not yet: try again
            }
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within " + timeoutMs + " ms");
    }
}
