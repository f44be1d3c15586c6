package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pep's data folder on a small tmpfs, filled with ballast while pep runs: pep answers 503 +
 * Retry-After naming the folder, is not ready, shows it in a metric and logs it once; once the
 * ballast is gone it provisions again by itself, and every gateway it had answered 200 is still
 * there. Needs {@code mount -t tmpfs} (CI runs as root): skipped with the reason where not allowed.
 */
class DiskFullTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<LogEvent> log = new CopyOnWriteArrayList<>();
    private AbstractAppender appender;
    private Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = PepMain.tempDir("pep-disk-full");
        String refused = run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", mount.toString());
        if (refused != null) {
            System.out.println("DiskFullTest skipped: cannot mount a tmpfs (" + refused + ")");
        }
        Assumptions.assumeTrue(refused == null, () -> "cannot mount a tmpfs to fill: " + refused);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("disk-full-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                log.add(event.toImmutable());
            }
        };
        appender.start();
        context.getConfiguration().getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    @AfterEach
    void unmount() throws Exception {
        if (appender != null) {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(appender.getName());
            context.updateLoggers();
            appender.stop();
        }
        String failed = run("umount", "-l", mount.toString());
        if (failed != null) {
            System.out.println("DiskFullTest: could not unmount " + mount + ": " + failed);
        }
    }

    @Test
    void aFullDiskAnswers503UntilSpaceReturnsThenPepProvisionsAgainWithNothingLost() throws Exception {
        Path dataDir = mount.resolve("data");
        PepMain pep = PepMain.start(Map.of("pep.data.dir", dataDir.toString(), "pep.tool.executable", FAKE_TOOL.toString()));
        try {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                assertEquals(200, provision(pep, "FULL-" + i).statusCode());
                acknowledged.add("FULL-" + i);
            }
            log.clear(); // start-up's own warnings (a development FCU config) are not this test's
            Path ballast = mount.resolve("ballast");
            fill(ballast);
            String sentence = "pep's data folder " + dataDir.toAbsolutePath() + " is full or not writable: ";

            // the first writes meet the full disk; whatever was answered 200 meanwhile must be kept
            int[] next = {10};
            HttpResponse<String> refused = pollFor(Duration.ofSeconds(60), () -> {
                String serial = "FULL-" + next[0]++;
                HttpResponse<String> answer = provision(pep, serial);
                if (answer.statusCode() == 200) {
                    acknowledged.add(serial);
                }
                return answer.statusCode() == 503 ? answer : null;
            });
            assertTrue(refused.body().startsWith(sentence), refused.body());
            assertTrue(refused.body().contains("No space left on device"), refused.body());
            assertEquals(1, refused.body().lines().count(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After");
            int atFirst503 = log.size(); // a request caught mid-write may add a line of its own; later ones may not
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> again = provision(pep, "FULL-AGAIN-" + i);
                assertEquals(503, again.statusCode(), again.body());
                assertTrue(again.body().startsWith(sentence), again.body());
            }
            assertEquals(503, get(pep, "/v3/enrollment-id?serialNumber=FULL-1").statusCode(),
                    "the closed store answers reads with the same 503");
            HttpResponse<String> ready = get(pep, "/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains(sentence), ready.body());
            assertTrue(get(pep, "/observe/metrics").body().contains("\npep_data_folder_writable 0.0"), "the gauge says 0");

            List<LogEvent> outage = List.copyOf(log);
            long changes = outage.stream().filter(e -> e.getLoggerName().equals(DataFolderWatch.class.getName())
                    && e.getLevel() == Level.WARN && e.getMessage().getFormattedMessage().startsWith(sentence)).count();
            assertEquals(1, changes, "one line for the change: " + lines(outage));
            assertEquals(0, outage.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.ERROR)).count(),
                    "no error, no stack trace: " + lines(outage));
            List<LogEvent> afterwards = outage.subList(atFirst503, outage.size());
            assertEquals(0, afterwards.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN)).count(),
                    "nothing per request: " + lines(afterwards));

            Files.delete(ballast);
            long freed = System.nanoTime();
            HttpResponse<String> served = pollFor(Duration.ofSeconds(60), () -> {
                HttpResponse<String> answer = provision(pep, "FULL-BACK");
                return answer.statusCode() == 200 ? answer : null;
            });
            acknowledged.add("FULL-BACK");
            System.out.printf("DiskFullTest: provisioning again %d ms after the ballast was deleted%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed));
            assertTrue(served.body().contains("FULL-BACK"), served.body());
            assertEquals(200, get(pep, "/observe/health/ready").statusCode());
            assertTrue(get(pep, "/observe/metrics").body().contains("\npep_data_folder_writable 1.0"), "the gauge says 1");
            assertTrue(log.stream().anyMatch(e -> e.getLevel() == Level.INFO
                    && e.getMessage().getFormattedMessage().contains("takes writes again")), lines(log));
            for (String serial : acknowledged) {
                assertEquals(200, get(pep, "/v3/enrollment-id?serialNumber=" + serial).statusCode(), serial + " kept");
            }
        } finally {
            pep.stop();
        }
    }

    private HttpResponse<String> provision(PepMain pep, String serial) {
        return get(pep, "/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777");
    }

    private HttpResponse<String> get(PepMain pep, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code answer} gives non-null (exceptions count as not yet); fails after {@code limit}. */
    private static <T> T pollFor(Duration limit, Supplier<T> answer) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = answer.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + limit, last);
    }

    /** Writes until the disk is full. */
    private static void fill(Path ballast) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    private static String lines(List<LogEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN)).forEach(e -> text.append('\n')
                .append(e.getLevel()).append(' ').append(e.getLoggerName()).append(": ")
                .append(e.getMessage().getFormattedMessage()));
        return text.toString();
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            String output = new String(process.getInputStream().readAllBytes()).strip();
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + process.exitValue() + " " + output;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
