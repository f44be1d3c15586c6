package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor on real processes (bash scripts): the tool's output and exit code, and the child
 * processes a tool leaves behind ended with it, including one that detached from the tool before
 * the end (noted while its parent was still running).
 */
class FactoryToolExecutorTest {

    private static final Pattern CHILD = Pattern.compile("CHILD=(\\d+)");
    private final FactoryToolExecutor executor = new FactoryToolExecutor(Map.of("PEP_TEST_VALUE", "from pep"), 300);
    private long child = -1;

    @AfterEach
    void noProcessLeftEvenIfTheTestFailed() {
        ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aToolsOutputExitCodeAndEnvironmentComeBack() throws IOException {
        ExecResult result = run("echo \"out $PEP_TEST_VALUE\"; echo err >&2; exit 7", 10_000);

        assertEquals(7, result.getExitValue());
        assertEquals("out from pep\n", text(result.getStdout()));
        assertEquals("err\n", text(result.getStderr()));
    }

    @Test
    void aChildLeftRunningByAFinishedToolIsEnded() throws Exception {
        ExecResult result = run("sleep 1000 >/dev/null 2>&1 & echo CHILD=$!; sleep 0.5", 10_000);

        assertEquals(0, result.getExitValue());
        child = childPid(result);
        ToolProcessTreeTest.assertGone(child);
    }

    @Test
    void aGrandchildThatDetachedBeforeTheTimeoutIsEndedWithTheTool() throws Exception {
        // the subshell lives long enough to be seen, then exits: its child is reparented away from the tool
        FactoryToolExecutor.FactoryToolTimeoutException timedOut = assertThrows(
                FactoryToolExecutor.FactoryToolTimeoutException.class,
                () -> run("( sleep 1000 >/dev/null 2>&1 & echo CHILD=$!; sleep 0.5 ); sleep 1000", 1_500));

        child = childPid(timedOut.getResult());
        ToolProcessTreeTest.assertGone(child);
    }

    private ExecResult run(String script, long timeoutMs) {
        return executor.execute(new ExecCommand("/bin/bash", List.of("-c", script), null, timeoutMs, null, null, null,
                false, LoggingLevel.OFF));
    }

    private static long childPid(ExecResult result) throws IOException {
        Matcher matcher = CHILD.matcher(text(result.getStdout()));
        assertTrue(matcher.find(), "the script printed its child's PID");
        return Long.parseLong(matcher.group(1));
    }

    private static String text(java.io.InputStream stream) throws IOException {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
}
