package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every process a tool run started ends with the run, however it left the tool's process tree: a
 * sleeper detached with setsid by a tool that exits 0, one double-forked by a tool that times out,
 * one in a process group of its own, one that ignores SIGTERM, and one still running when pep stops.
 * Real processes (bash). The kill grace is long on purpose: the tool's output pipes used to be waited
 * for up to the grace + 1 s each while a detached sleeper held them open, so an answer well within the
 * grace proves that wait no longer applies; the sleepers end at SIGTERM, at once.
 */
class EscapedToolProcessesTest {

    private static final long GRACE_MS = 20_000;
    private static final long TIMEOUT_MS = 1_000;
    private static final Pattern CHILD = Pattern.compile("CHILD=(\\d+)");
    private static final Pattern MARK = Pattern.compile("MARK=(\\S+)");

    private final MarkedProcesses marked = MarkedProcesses.onThisSystem();
    private final FactoryToolExecutor executor = new FactoryToolExecutor(Map.of(), GRACE_MS);
    private final List<Long> sleepers = new ArrayList<>();

    @BeforeEach
    void onlyWhereProcReadable() {
        assumeTrue(marked.available(), "no readable /proc here: detached processes cannot be found (pep logs this once)");
    }

    @AfterEach
    void noSleeperLeftEvenIfTheTestFailed() {
        sleepers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aSleeperDetachedWithSetsidByAToolThatExitsIsEndedAndDoesNotHoldTheAnswer() throws Exception {
        long started = System.nanoTime();
        ExecResult result = run("echo MARK=$PEP_TOOL_RUN; ( setsid sleep 1000 & echo CHILD=$! ); echo done", TIMEOUT_MS * 30);
        long tookMs = elapsedMs(started);

        String out = text(result);
        assertEquals(0, result.getExitValue(), out);
        assertTrue(out.endsWith("done\n"), out);
        assertNoneLeft(out);
        assertEquals(1, executor.leftoversEnded(), "counted for pep_tool_leftover_processes_total");
        assertTrue(tookMs < GRACE_MS, "answered after " + tookMs + " ms: the wait for the pipes held by the sleeper applied");
    }

    @Test
    void aDoubleForkedSleeperOfAToolThatTimesOutIsEndedAndTheAnswerComesAtTheTimeout() throws Exception {
        long started = System.nanoTime();
        FactoryToolExecutor.FactoryToolTimeoutException timedOut = assertThrows(
                FactoryToolExecutor.FactoryToolTimeoutException.class,
                () -> run("echo MARK=$PEP_TOOL_RUN; ( ( sleep 1000 & echo CHILD=$! ) & ); exec sleep 1000", TIMEOUT_MS));
        long tookMs = elapsedMs(started);

        assertNoneLeft(text(timedOut.getResult()));
        assertTrue(tookMs < TIMEOUT_MS + GRACE_MS, "answered after " + tookMs + " ms, timeout " + TIMEOUT_MS
                + " ms: the wait for the pipes held by the sleeper applied");
    }

    @Test
    void aSleeperInAProcessGroupOfItsOwnIsEnded() throws Exception {
        ExecResult result = run("echo MARK=$PEP_TOOL_RUN; set -m; sleep 1000 & echo CHILD=$!; ps -o pgid= -p $! | tr -d ' '"
                + " > /dev/stderr; echo $$ >&2", TIMEOUT_MS * 30);

        String[] groups = new String(result.getStderr().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
        String out = text(result);
        assertEquals(0, result.getExitValue(), out);
        assertTrue(groups.length == 2 && !groups[0].equals(groups[1]), "the sleeper ran in its own process group: "
                + String.join(",", groups));
        assertNoneLeft(out);
    }

    @Test
    void aDetachedSleeperIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        FactoryToolExecutor quick = new FactoryToolExecutor(Map.of(), 300);
        ExecResult result = quick.execute(command("echo MARK=$PEP_TOOL_RUN; ( trap '' TERM; setsid sleep 1000 & echo"
                + " CHILD=$! ); exit 0", TIMEOUT_MS * 30));

        assertNoneLeft(text(result));
    }

    @Test
    void stoppingPepEndsADetachedSleeperOfARunningTool(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> run("echo MARK=$PEP_TOOL_RUN > "
                + pids + ".tmp; ( setsid sleep 1000 & echo CHILD=$! >> " + pids + ".tmp ); mv " + pids + ".tmp " + pids
                + "; exec sleep 1000", TIMEOUT_MS * 60));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(pids) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String written = Files.readString(pids);

        executor.stopAll();

        Exception stopped = assertThrows(Exception.class, () -> running.get(30, TimeUnit.SECONDS));
        assertTrue(stopped.getCause() instanceof FactoryToolExecutor.FactoryToolStoppedException, String.valueOf(stopped));
        assertNoneLeft(written);
    }

    private ExecResult run(String script, long timeoutMs) {
        return executor.execute(command(script, timeoutMs));
    }

    private static ExecCommand command(String script, long timeoutMs) {
        return new ExecCommand("/bin/bash", List.of("-c", script), null, timeoutMs, null, null, null, false,
                LoggingLevel.OFF);
    }

    /** The sleeper the script named is gone, and so is every process carrying the run's marker. */
    private void assertNoneLeft(String output) throws InterruptedException {
        Matcher child = CHILD.matcher(output);
        assertTrue(child.find(), "the script printed its sleeper's PID: " + output);
        long sleeper = Long.parseLong(child.group(1));
        sleepers.add(sleeper);
        Matcher mark = MARK.matcher(output);
        assertTrue(mark.find(), "the tool saw its run's marker: " + output);
        ToolProcessTreeTest.assertGone(sleeper);
        assertEquals(List.of(), marked.find(mark.group(1)), "processes carrying the run's marker");
    }

    private static String text(ExecResult result) throws IOException {
        return new String(result.getStdout().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
