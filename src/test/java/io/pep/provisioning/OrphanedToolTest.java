package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.Eventually;
import io.pep.PepMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pep killed while its tool hangs on a silent gateway (kill -9, the exit on OutOfMemoryError, a
 * power cut of the JVM alone) cannot end that tool: it stays, holding the gateway's port. The next
 * pep started on the same data folder ends it, and only it: a tool of a pep still running or of
 * another data folder is left alone.
 */
class OrphanedToolTest {

    private static final Path HANGING_TOOL = Path.of("src/test/tools/hanging-tool").toAbsolutePath();
    private final Path blockDir = PepMain.tempDir("block");
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void endWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aToolAKilledPepLeftHangingIsEndedByTheNextPepOnItsFolder() throws Exception {
        Path dataDir = PepMain.tempDir("pep-orphan");
        int port = PepMain.freePort();
        Map<String, String> env = Map.of("PEP_TOOL_EXECUTABLE", HANGING_TOOL.toString(),
                "PEP_TOOL_ENV", "BLOCK_DIR=" + blockDir, "PEP_TOOL_TIMEOUT", "600000");
        Path startedFile = blockDir.resolve("started-SN-ORPHAN");
        try (PepProcess pep = PepProcess.start(dataDir, port, env)) {
            pep.getAsync("/v3/identity?serialNumber=SN-ORPHAN&ip=127.0.0.1&port=7777");
            Eventually.await("the tool started", () -> Files.exists(startedFile) && !Files.readString(startedFile).isBlank());
            pep.kill();
        }
        ProcessHandle tool = ProcessHandle.of(Long.parseLong(Files.readString(startedFile).strip()))
                .orElseThrow(() -> new AssertionError("the hanging tool outlives the pep killed with SIGKILL"));
        started.add(tool);
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        ProcessHandle otherFolder = marked(MarkedProcesses.folderKey(PepMain.tempDir("other-folder")) + ":"
                + finished.pid() + ":0:run");
        ProcessHandle liveOwner = marked(MarkedProcesses.newMarker(MarkedProcesses.owner(dataDir))); // this JVM runs

        try (PepProcess again = PepProcess.start(dataDir, port, env)) {
            Eventually.await("the tool the killed pep left is ended", () -> !tool.isAlive());
            assertTrue(otherFolder.isAlive(), "a tool run of another data folder is not this pep's");
            assertTrue(liveOwner.isAlive(), "a tool run of a pep still running is not an orphan");
            String log = PepProcess.log(dataDir);
            assertEquals(1, log.lines().filter(line -> line.contains("Ended 1 factory tool process(es) that a pep on this"
                    + " data folder left running when it was killed or crashed")).count(), log);
            String metrics = again.get("/observe/metrics").body();
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("pep_tool_leftover_processes_total")
                    && line.endsWith(" 1.0")), metrics);
        }
    }

    private ProcessHandle marked(String marker) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sleep", "3600");
        builder.environment().put(MarkedProcesses.VARIABLE, marker);
        ProcessHandle process = builder.start().toHandle();
        started.add(process);
        return process;
    }
}
