package io.pep.provisioning;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the factory tool for camel-exec (an argument list, no shell) with what camel-exec's own
 * executor lacks:
 * <ul>
 * <li>extra environment variables (e.g. {@code FCU_HOME_DIR});</li>
 * <li>at the timeout the <em>whole process tree</em> ends: SIGTERM to the tool and every
 * descendant seen while it ran, SIGKILL to what is left after {@code killGraceMs}. A shell tool
 * doing {@code sleep 100000 & wait}, or one that ignores SIGTERM, cannot keep the request, the
 * tool slot or the serial;</li>
 * <li>every process the run started ends with it, however it left the tool's tree (setsid, a double
 * fork, its own process group): each run marks the tool's environment ({@link MarkedProcesses}), and
 * when the run ends (exit, timeout, pep stopping) every process carrying the mark is ended too;</li>
 * <li>the output is read by two reader threads the worker waits for only a bounded time: once the
 * run's processes are gone or ended the output has ended too, so a short drain is enough; an
 * escaped grandchild holding stdout open cannot hold the answer;</li>
 * <li>{@link #stopAll()} ends every running tree; pep calls it when it shuts down, so a tool run
 * never outlives the pep that started it.</li>
 * </ul>
 */
public class FactoryToolExecutor implements ExecCommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(FactoryToolExecutor.class);
    /** More output than this is read and dropped (the outcome logs only the first few KB anyway). */
    static final int MAX_OUTPUT_BYTES = 1 << 20;
    /** The least time the output is given to flow once the run's processes are gone. */
    static final long DRAIN_MS = 200;
    /** How long a SIGKILLed process is waited for (it cannot refuse; twice at most). */
    static final long KILL_WAIT_MS = 300;

    private final Map<String, String> environment;
    private final long killGraceMs;
    private final Set<ToolRun> running = ConcurrentHashMap.newKeySet();
    private final ProcessTreeWatch watch = new ProcessTreeWatch();
    private final MarkedProcesses marked;
    private final Path dataDir;
    private final String owner;
    /** Processes that outlived their tool run (left running at its exit, or past its timeout or pep's stop) and were ended. */
    private final AtomicLong leftoversEnded = new AtomicLong();
    /** Reads the tools' output; its threads are reused from run to run and go when idle. */
    private final ExecutorService outputReaders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "factory-tool-output");
                thread.setDaemon(true);
                return thread;
            });
    private volatile boolean stopping;

    public FactoryToolExecutor(Map<String, String> extraEnvironment, long killGraceMs) {
        this(extraEnvironment, killGraceMs, null);
    }

    /**
     * @param dataDir pep's data folder: the tool runs are marked as this folder's, so that a pep
     *        started again on it can end those a killed pep left running ({@link #endOrphans()})
     */
    public FactoryToolExecutor(Map<String, String> extraEnvironment, long killGraceMs, Path dataDir) {
        if (killGraceMs < 0) {
            throw new IllegalArgumentException("pep.tool.kill-grace must not be negative, got " + killGraceMs);
        }
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(extraEnvironment);
        this.environment = Map.copyOf(merged);
        this.killGraceMs = killGraceMs;
        this.marked = MarkedProcesses.onThisSystem();
        this.dataDir = dataDir;
        this.owner = dataDir == null ? "-:-:-" : MarkedProcesses.owner(dataDir);
        if (!marked.available()) {
            LOG.warn("pep cannot read other processes' environments here (no readable /proc): a factory tool's"
                    + " processes that leave its process tree (setsid, double fork) cannot be found and are not"
                    + " ended, and each of them holding the tool's output delays its answer by up to"
                    + " pep.tool.kill-grace + 1 s");
        }
    }

    @Override
    public ExecResult execute(ExecCommand command) {
        if (stopping) {
            throw new FactoryToolStoppedException();
        }
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command.getExecutable());
        commandLine.addAll(command.getArgs());
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        String marker = MarkedProcesses.newMarker(owner);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put(MarkedProcesses.VARIABLE, marker);
        if (command.getWorkingDir() != null) {
            builder.directory(new File(command.getWorkingDir()).getAbsoluteFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ExecException("Unable to execute command " + command, null, null, -1, e);
        }
        ToolRun run = new ToolRun(process, marker, marked, leftoversEnded, outputReaders);
        running.add(run);
        watch.watch(process.toHandle(), run.tree);
        try {
            closeQuietly(process.getOutputStream()); // the tool gets no input: EOF on stdin
            // stopAll() sets stopping before it copies the running set: a run added just after that copy
            // sees the flag here and ends at once rather than after its whole timeout
            boolean finished = !stopping && run.await(command.getTimeout() == ExecEndpoint.NO_TIMEOUT
                    ? Long.MAX_VALUE : command.getTimeout());
            // the answer comes at most pep.tool.kill-grace + 1 s after the tool exited or timed out
            long answerBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killGraceMs + 1000);
            if (!finished || stopping) {
                run.endTree(killGraceMs);
            } else {
                run.endLeftovers(killGraceMs); // a finished tool's background children go with it
            }
            // the run's processes are gone, so the output has ended; only a process that could not be found (it
            // cleared its environment, or there is no /proc) still holds a pipe, and then not past answerBy
            run.awaitOutput(Math.max(answerBy, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS)));
            ExecResult result = new ExecResult(command, run.stdout.bytes(), run.stderr.bytes(),
                    finished ? process.exitValue() : -1);
            if (stopping) {
                throw new FactoryToolStoppedException();
            }
            if (!finished) {
                throw new FactoryToolTimeoutException(command.getTimeout(), result);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.endTree(0);
            run.awaitOutput(System.nanoTime());
            throw new FactoryToolStoppedException();
        } finally {
            watch.forget(process.toHandle());
            running.remove(run);
        }
    }

    /** Ends every running tool with its descendants (pep is shutting down). */
    public void stopAll() {
        stopping = true;
        List<ToolRun> runs = List.copyOf(running);
        if (!runs.isEmpty()) {
            LOG.warn("pep is stopping: ending {} running factory tool run(s) and their child processes", runs.size());
        }
        runs.forEach(run -> run.signal(false));
        runs.forEach(run -> run.endTree(killGraceMs));
    }

    /**
     * Processes a tool run started that pep had to end besides the tool itself: left running when it
     * exited, or still running at its timeout or when pep stopped (for metrics).
     */
    /**
     * Ends the tool processes a pep on this data folder left running when it was killed or crashed
     * (it had no chance to end them: a hung tool would otherwise hold its gateway's port for good).
     * Called once at start; returns how many there were.
     */
    public int endOrphans() {
        List<ProcessHandle> orphans = dataDir == null ? List.of() : marked.orphansOf(dataDir);
        if (orphans.isEmpty()) {
            return 0;
        }
        List<String> described = orphans.stream().map(MarkedProcesses::describe).toList();
        orphans.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killGraceMs);
        for (ProcessHandle orphan : orphans) {
            try {
                orphan.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                orphan.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                orphan.destroyForcibly();
            }
        }
        leftoversEnded.addAndGet(orphans.size());
        LOG.warn("Ended {} factory tool process(es) that a pep on this data folder left running when it was killed"
                + " or crashed (their gateways were never answered; they provision again when they ask again): {}",
                orphans.size(), described);
        return orphans.size();
    }

    public long leftoversEnded() {
        return leftoversEnded.get();
    }

    /** Tool runs in progress (for tests and health). */
    public int runningCount() {
        return running.size();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // the process is gone or the pipe already closed
        }
    }

    /** One tool process, the descendants seen so far, its marker, and its output being read. */
    private static final class ToolRun {
        private final Process process;
        private final String marker;
        private final MarkedProcesses marked;
        private final AtomicLong leftoversEnded;
        private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();
        private final OutputReader stdout;
        private final OutputReader stderr;

        ToolRun(Process process, String marker, MarkedProcesses marked, AtomicLong leftoversEnded,
                ExecutorService readers) {
            this.process = process;
            this.leftoversEnded = leftoversEnded;
            this.marker = marker;
            this.marked = marked;
            this.tree.add(process.toHandle());
            this.stdout = new OutputReader(process.getInputStream(), readers);
            this.stderr = new OutputReader(process.getErrorStream(), readers);
        }

        /** Waits up to timeoutMs for the tool to exit (its descendants are noted by the watch meanwhile). */
        boolean await(long timeoutMs) throws InterruptedException {
            if (timeoutMs == Long.MAX_VALUE) {
                process.waitFor();
                return true;
            }
            return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        }

        private void noteDescendants() {
            tree.forEach(handle -> handle.descendants().forEach(tree::add));
        }

        /** The run's live processes: the tool, its descendants seen so far, every process carrying its marker. */
        private Set<ProcessHandle> living() {
            noteDescendants();
            Set<ProcessHandle> living = new LinkedHashSet<>();
            tree.stream().filter(ProcessHandle::isAlive).forEach(living::add);
            living.addAll(marked.find(marker));
            return living;
        }

        /** SIGTERM (or SIGKILL) to every live process of the run. */
        void signal(boolean forcibly) {
            for (ProcessHandle handle : living()) {
                if (forcibly) {
                    handle.destroyForcibly();
                } else {
                    handle.destroy();
                }
            }
        }

        /**
         * SIGTERM, up to graceMs to exit, then SIGKILL to whatever is left (looked up again, so a process
         * forked meanwhile goes too).
         */
        void endTree(long graceMs) {
            Set<ProcessHandle> left = living();
            leftoversEnded.addAndGet(left.stream().filter(handle -> handle.pid() != process.pid()).count());
            left.forEach(ProcessHandle::destroy);
            left = awaitGone(left, graceMs);
            for (int round = 0; round < 2 && !left.isEmpty(); round++) {
                left.forEach(ProcessHandle::destroyForcibly);
                left = awaitGone(left, KILL_WAIT_MS);
            }
            if (!left.isEmpty()) {
                LOG.warn("The factory tool (PID {}): {} of its processes outlived SIGKILL: {}", process.pid(), left.size(),
                        left.stream().map(MarkedProcesses::describe).toList());
            }
        }

        /** After a normal exit: processes of the run still running (detached or not) are ended the same way. */
        void endLeftovers(long graceMs) {
            Set<ProcessHandle> left = living();
            if (!left.isEmpty()) {
                LOG.warn("The factory tool (PID {}) exited and left {} process(es) running; ending them: {}", process.pid(),
                        left.size(), left.stream().map(MarkedProcesses::describe).toList());
                endTree(graceMs);
            }
        }

        /** Waits up to waitMs for {@code processes} to exit; then the run's processes still alive. */
        private Set<ProcessHandle> awaitGone(Set<ProcessHandle> processes, long waitMs) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            for (ProcessHandle handle : processes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    break;
                } catch (ExecutionException e) {
                    // onExit does not fail; treat as gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return living();
        }

        /** Gives both outputs until the deadline (System.nanoTime) to reach their end, then closes the pipes regardless. */
        void awaitOutput(long deadline) {
            stdout.awaitEnd(deadline);
            stderr.awaitEnd(deadline);
            stdout.close();
            stderr.close();
        }
    }

    /** Reads one output stream on a reader thread, keeping at most MAX_OUTPUT_BYTES. */
    private static final class OutputReader {
        private final InputStream in;
        private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
        private final Future<?> pumping;

        OutputReader(InputStream in, ExecutorService readers) {
            this.in = in;
            this.pumping = readers.submit(this::pump);
        }

        private void pump() {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (collected) {
                        if (collected.size() < MAX_OUTPUT_BYTES) {
                            collected.write(buffer, 0, Math.min(read, MAX_OUTPUT_BYTES - collected.size()));
                        }
                    }
                }
            } catch (IOException ignored) {
                // the pipe was closed under us: what was read so far is the output
            }
        }

        /** Waits until the end of the stream or the deadline (System.nanoTime), whichever comes first. */
        void awaitEnd(long deadlineNanos) {
            try {
                pumping.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // still reading (a process that could not be ended holds the pipe open): closing it ends the read
            }
        }

        /** Closes the pipe: a read still blocked on it ends. */
        void close() {
            closeQuietly(in);
        }

        /** What was read so far. */
        InputStream bytes() {
            synchronized (collected) {
                return new ByteArrayInputStream(collected.toByteArray());
            }
        }
    }

    /** The tool ran past its timeout and was ended with its child processes. */
    public static class FactoryToolTimeoutException extends RuntimeException {
        private final transient ExecResult result;

        FactoryToolTimeoutException(long timeoutMs, ExecResult result) {
            super("the factory tool did not finish within " + timeoutMs + " ms and was stopped with its child processes");
            this.result = result;
        }

        public ExecResult getResult() {
            return result;
        }
    }

    /** pep is shutting down: the run was ended before it finished. */
    public static class FactoryToolStoppedException extends RuntimeException {
        FactoryToolStoppedException() {
            super("pep is shutting down: the factory tool run was ended before it finished");
        }
    }
}
