package io.pep.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pep.identity.EnrollmentId;
import io.pep.injector.DevelopmentConfigFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pep-inject's start-up cache (bin/lib/train-tool-cache, bin/lib/launcher.bash) on a copy of the
 * packaged jar: trained, it is used; missing, stale, corrupt or made for another build, a run still
 * injects, and its stdout (which pep parses) holds only pep-inject's own lines, never the JVM's.
 * On Java 25 (an AOT cache) and, where it is installed, Java 17 (a class-data archive).
 */
class ToolCacheIT extends DevelopmentConfigFixture {

    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    private static final List<String> TOOL_LINES = List.of("Injecting ", "FCC ReturnStatus: 0 SUCCESS",
            "FCC InfoMessage: ", EnrollmentId.OUTPUT_MARKER);

    @Test
    void onJava25TheAotCacheIsTrainedAndAnyCacheProblemOnlySlowsTheRun() throws Exception {
        assumeTrue(Files.isExecutable(TEMURIN_25), "Temurin 25 is not installed");
        everyCacheStateInjects(TEMURIN_25, 25, "aot");
    }

    @Test
    void onJava17TheClassDataArchiveIsTrainedAndAnyArchiveProblemOnlySlowsTheRun() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_17), "OpenJDK 17 is not installed");
        everyCacheStateInjects(JAVA_17, 17, "jsa");
    }

    private void everyCacheStateInjects(Path java, int feature, String suffix) throws Exception {
        Path packaged = Path.of("target/pep.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(packaged), "target/pep.jar not built (failsafe runs this after package)");
        Path dir = Files.createDirectories(temp.resolve("jar-" + feature));
        Path jar = Files.copy(packaged, dir.resolve("pep.jar"));
        Path cache = dir.resolve("pep.jar.pep-inject." + suffix);
        Map<String, String> env = Map.of("PEP_JAVA", java.toString(), "PEP_JAVA_FEATURE", String.valueOf(feature),
                "PEP_JAR", jar.toString());

        injectsCleanly(env, "no cache yet");

        Result training = run(env, List.of("bin/lib/train-tool-cache", jar.toString()));
        assertEquals(0, training.exit, training.err);
        assertTrue(Files.size(cache) > 0, "the cache is written beside the jar");
        injectsCleanly(env, "trained cache");

        // the jar replaced after the cache (another time stamp), the cache then made newer again: the
        // launcher passes it on and the JVM itself finds that it belongs to another jar
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(30)));
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().plusSeconds(60)));
        injectsCleanly(env, "a cache of another build of the jar");

        Files.write(cache, "not a cache".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().plusSeconds(60)));
        injectsCleanly(env, "a corrupt cache");

        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(3600)));
        injectsCleanly(env, "a cache older than the jar");
    }

    private void injectsCleanly(Map<String, String> env, String state) throws Exception {
        try (FccSimulator simulator = new FccSimulator(SimulatorSettings.loopback(null)).start()) {
            Map<String, String> withConfig = new HashMap<>(env);
            withConfig.put("PEP_FCU_CONFIG_DIR", folder.toString());
            Result run = run(withConfig, List.of("bin/pep-inject", "inject", "--endpoint-name=gw-c",
                    "--serial-number=gw-c", "tcp", "--ip=127.0.0.1", "--port=" + simulator.port()));
            assertEquals(0, run.exit, state + ": " + run.out + run.err);
            List<String> lines = run.out.lines().toList();
            assertEquals(TOOL_LINES.size(), lines.size(), state + ": stdout is pep-inject's lines only: " + run.out);
            for (int i = 0; i < lines.size(); i++) {
                assertTrue(lines.get(i).startsWith(TOOL_LINES.get(i)), state + ": " + run.out);
            }
            assertTrue(EnrollmentId.findInToolOutput(run.out).isPresent(), state + ": " + run.out);
            assertFalse(run.err.contains("[warning]") || run.err.contains("[error]"), state + ": " + run.err);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "ended: " + command);
        return new Result(process.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
