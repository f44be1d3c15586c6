package io.pep.provisioning;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
 * <li>the output is read by two reader threads the worker waits for only a bounded time: an
 * escaped grandchild holding stdout open cannot hang the request;</li>
 * <li>{@link #stopAll()} ends every running tree; pep calls it when it shuts down, so a tool run
 * never outlives the pep that started it.</li>
 * </ul>
 */
public class FactoryToolExecutor implements ExecCommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(FactoryToolExecutor.class);
    /** More output than this is read and dropped (the outcome logs only the first few KB anyway). */
    static final int MAX_OUTPUT_BYTES = 1 << 20;

    private final Map<String, String> environment;
    private final long killGraceMs;
    private final Set<ToolRun> running = ConcurrentHashMap.newKeySet();
    private final ProcessTreeWatch watch = new ProcessTreeWatch();
    /** Reads the tools' output; its threads are reused from run to run and go when idle. */
    private final ExecutorService outputReaders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "factory-tool-output");
                thread.setDaemon(true);
                return thread;
            });
    private volatile boolean stopping;

    public FactoryToolExecutor(Map<String, String> extraEnvironment, long killGraceMs) {
        if (killGraceMs < 0) {
            throw new IllegalArgumentException("pep.tool.kill-grace must not be negative, got " + killGraceMs);
        }
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(extraEnvironment);
        this.environment = Map.copyOf(merged);
        this.killGraceMs = killGraceMs;
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
        builder.environment().clear();
        builder.environment().putAll(environment);
        if (command.getWorkingDir() != null) {
            builder.directory(new File(command.getWorkingDir()).getAbsoluteFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ExecException("Unable to execute command " + command, null, null, -1, e);
        }
        ToolRun run = new ToolRun(process, outputReaders);
        running.add(run);
        watch.watch(process.toHandle(), run.tree);
        try {
            closeQuietly(process.getOutputStream()); // the tool gets no input: EOF on stdin
            // stopAll() sets stopping before it copies the running set: a run added just after that copy
            // sees the flag here and ends at once rather than after its whole timeout
            boolean finished = !stopping && run.await(command.getTimeout() == ExecEndpoint.NO_TIMEOUT
                    ? Long.MAX_VALUE : command.getTimeout());
            if (!finished || stopping) {
                run.endTree(killGraceMs);
            } else {
                run.endLeftovers(killGraceMs); // a finished tool's background children go with it
            }
            ExecResult result = new ExecResult(command, run.stdout.bytes(killGraceMs + 1000),
                    run.stderr.bytes(killGraceMs + 1000), finished ? process.exitValue() : -1);
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

    /** One tool process, the descendants seen so far, and its output being read. */
    private static final class ToolRun {
        private final Process process;
        private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();
        private final OutputReader stdout;
        private final OutputReader stderr;

        ToolRun(Process process, ExecutorService readers) {
            this.process = process;
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

        /** SIGTERM (or SIGKILL) to the tool and every live process of its tree. */
        void signal(boolean forcibly) {
            noteDescendants();
            for (ProcessHandle handle : new LinkedHashSet<>(tree)) {
                if (handle.isAlive()) {
                    if (forcibly) {
                        handle.destroyForcibly();
                    } else {
                        handle.destroy();
                    }
                }
            }
        }

        /** SIGTERM, up to graceMs to exit, then SIGKILL to whatever is left; the pipes are closed. */
        void endTree(long graceMs) {
            signal(false);
            if (!awaitTreeGone(graceMs)) {
                signal(true);
                awaitTreeGone(1000);
            }
            stdout.closeAfter(graceMs);
            stderr.closeAfter(graceMs);
        }

        /** After a normal exit: descendants still running are ended the same way. */
        void endLeftovers(long graceMs) {
            if (tree.stream().anyMatch(handle -> handle.pid() != process.pid() && handle.isAlive())) {
                LOG.warn("The factory tool (PID {}) exited and left child processes running; ending them", process.pid());
                endTree(graceMs);
            }
        }

        private boolean awaitTreeGone(long graceMs) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
            for (ProcessHandle handle : new LinkedHashSet<>(tree)) {
                long left = deadline - System.nanoTime();
                try {
                    if (left <= 0) {
                        if (handle.isAlive()) {
                            return false;
                        }
                    } else {
                        handle.onExit().get(left, TimeUnit.NANOSECONDS);
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    return false;
                } catch (java.util.concurrent.ExecutionException e) {
                    // onExit does not fail; treat as gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return !handle.isAlive();
                }
            }
            return tree.stream().noneMatch(ProcessHandle::isAlive);
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

        /** Gives the reader a bounded time to reach end of stream, then closes the pipe regardless. */
        void closeAfter(long waitMs) {
            try {
                pumping.get(Math.max(1, waitMs), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // still reading (an escaped child holds the pipe open): closing the pipe ends the read
            }
            closeQuietly(in);
        }

        /** What was read; waits at most waitMs for the end of the stream. */
        InputStream bytes(long waitMs) {
            closeAfter(waitMs);
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
