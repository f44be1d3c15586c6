package io.pep.provisioning;


import io.pep.PepMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A tool run never outlives the pep that started it: pep stopping (long before the tool's
 * timeout) ends the running tool and its child processes.
 */
class ToolShutdownTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private static final Pattern PIDS = Pattern.compile("PID=(\\d+) CHILD=(\\d+)");

    @Test
    void stoppingPepEndsARunningToolAndItsChildren() throws Exception {
        Path toolLog = PepMain.tempDir("pep-shutdown").resolve("tool.log");
        PepMain pep = PepMain.start(Map.of(
                // far longer than the test waits for the tool to end: ended by the stop, not by giving up
                "camel.main.shutdown-timeout", "300",
                "pep.tool.executable", FAKE_TOOL.toString(),
                "pep.tool.env", "FAKE_TOOL_LOG=" + toolLog,
                "pep.tool.timeout", "600000",
                "pep.tool.kill-grace", "500"));
        CompletableFuture<HttpResponse<String>> request;
        Matcher pids;
        CompletableFuture<Void> stopping;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            request = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port()
                    + "/v3/identity?serialNumber=deaf-shutdown&ip=127.0.0.1&port=7777")).build(),
                    HttpResponse.BodyHandlers.ofString());
            pids = awaitPids(toolLog);
        } finally {
            stopping = CompletableFuture.runAsync(pep::stop);
        }
        // while pep is still stopping (it waits up to camel.main.shutdown-timeout for in-flight requests),
        // not only once it has given up on them
        ToolProcessTreeTest.assertGone(Long.parseLong(pids.group(1)));
        ToolProcessTreeTest.assertGone(Long.parseLong(pids.group(2)));
        stopping.get(io.pep.Eventually.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        request.cancel(true);
    }

    private static Matcher awaitPids(Path toolLog) {
        return io.pep.Eventually.await("the tool logs its PIDs", () -> PIDS.matcher(Files.readString(toolLog)), Matcher::find);
    }
}
