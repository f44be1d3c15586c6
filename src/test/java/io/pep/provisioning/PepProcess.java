package io.pep.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pep in a JVM of its own ({@code io.pep.PepApplication} on this test's class path, settings as
 * environment variables exactly as an operator gives them), so a test can kill it with SIGKILL
 * and start it again on the same data folder. Its output goes to {@code pep.log} in that folder.
 */
public final class PepProcess implements AutoCloseable {

    static final Path BLOCKING_TOOL = Path.of("src/test/tools/blocking-tool").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    public final int port;

    private PepProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts pep and waits (bounded) until its routes answer HTTP. */
    public static PepProcess start(Path dataDir, int port, Map<String, String> environment) throws Exception {
        // pep's own 404 text: the routes are up, not only the HTTP server
        return start(dataDir, port, environment, pep -> pep.get("/v3/enrollment-id?serialNumber=probe").body().startsWith("Not found!"));
    }

    /** What a test waits for after the start: an HTTP exchange that tells pep is as far as it needs. */
    @FunctionalInterface
    public interface Readiness {
        boolean reached(PepProcess pep) throws IOException;
    }

    /** Starts pep and waits (bounded) until {@code readiness} holds. */
    public static PepProcess start(Path dataDir, int port, Map<String, String> environment, Readiness readiness) throws Exception {
        PepProcess pep = new PepProcess(builder(dataDir, port, environment).start(), port);
        pep.await(dataDir, readiness);
        return pep;
    }

    /** How a start that pep refused ended: its exit code and everything it printed. */
    record Refusal(int exitCode, String output) {
    }

    /**
     * Starts pep expecting it to refuse: waits (bounded) for the process to end by itself, as a
     * supervisor would see it. Fails if pep is still running after the limit (a start that hangs).
     */
    static Refusal refusedStart(Path dataDir, int port, Map<String, String> environment) throws Exception {
        Path log = dataDir.resolve("pep.log");
        Files.deleteIfExists(log);
        Process process = builder(dataDir, port, environment).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("pep neither started nor exited within 180 s; see " + log);
        }
        return new Refusal(process.exitValue(), Files.readString(log));
    }

    private static ProcessBuilder builder(Path dataDir, int port, Map<String, String> environment) throws IOException {
        Files.createDirectories(dataDir.resolve("routes"));
        ProcessBuilder builder = new ProcessBuilder(io.pep.ChildJvm.pep()).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("pep.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("PEP_SERVER_HOST", "127.0.0.1");
        env.put("PEP_SERVER_PORT", String.valueOf(port));
        env.put("PEP_DATA_DIR", dataDir.toString());
        env.put("PEP_ROUTES_DIR", dataDir.resolve("routes").toString());
        env.put("PEP_ROUTES_RELOAD_ENABLED", "false");
        env.put("PEP_CONFIG_FILE", dataDir.resolve("no-such.properties").toString());
        env.put("PEP_TOOL_EXECUTABLE", BLOCKING_TOOL.toString());
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "2");
        env.putAll(environment);
        return builder;
    }

    private void await(Path dataDir, Readiness readiness) {
        // a start takes 3 s on an idle machine, a minute at a load of 45 on 2 cores: wait like a supervisor would
        io.pep.Eventually.await("pep answers HTTP (see " + dataDir.resolve("pep.log") + ")", io.pep.Eventually.START, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("pep exited with " + process.exitValue() + "; see " + dataDir.resolve("pep.log"));
            }
            return readiness.reached(this);
        });
    }

    public HttpResponse<String> get(String pathAndQuery, String... headerPairs) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** POST without a body (the operator calls). */
    public HttpResponse<String> post(String pathAndQuery) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The whole request in the background: pep may be killed before it answers. */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no clean stop, like a crash or a power cut of the process. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** What pep printed so far (its log file in the data folder). */
    public static String log(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve("pep.log"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static boolean exists(Path file) {
        return Files.exists(file);
    }

    static void touch(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
