package io.pep.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether pep can write its data folder (the embedded store's file, the provisioning journal). A
 * failed write (a full disk, a folder turned read-only) trips it: one WARN, every request answered
 * {@link DataFolderNotWritable} (503 + Retry-After) instead of failing somewhere inside, readiness
 * DOWN. While tripped it probes each failed folder with a real write every {@code probeMs}; once the
 * writes succeed, it runs the repairs registered with {@link #onRecovery} (the embedded store
 * reopens its file, which closed itself at the failed write) and is writable again: one INFO line,
 * no restart.
 */
public final class DataFolderWatch implements AutoCloseable {

    /** Seconds a client is asked to wait: about the time a probe takes to notice space came back. */
    public static final int RETRY_AFTER_SECONDS = 5;
    static final String PROBE_FILE = ".pep-write-probe";
    /** Written by a probe: room for a few of the store's chunks, so a reopened store has space for its first commit. */
    private static final int PROBE_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DataFolderWatch.class);

    private final long probeMs;
    private final Map<Path, String> failed = new ConcurrentHashMap<>();
    private final List<BooleanSupplier> repairs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pep-data-folder-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String problem;
    private volatile long since;

    public DataFolderWatch(long probeMs) {
        this.probeMs = probeMs;
    }

    /** Runs {@code repair} before the folder counts as writable again; it returns false to be tried again later. */
    public void onRecovery(BooleanSupplier repair) {
        repairs.add(repair);
    }

    /**
     * A write to {@code folder} failed: pep stops taking requests that write until a probe of the
     * folder succeeds. Returns the operator's sentence for it.
     */
    public synchronized String failed(Path folder, Throwable cause) {
        Path where = folder.toAbsolutePath().normalize();
        failed.putIfAbsent(where, reason(cause));
        if (problem == null) {
            problem = "pep's data folder " + where + " is full or not writable: " + failed.get(where)
                    + "; nothing was changed, retry when space is free (operators: free space or fix the folder's"
                    + " permissions; pep resumes by itself)";
            since = System.nanoTime();
            LOG.warn("{}. Requests get 503 until a probe write succeeds (every {} ms)", problem, probeMs);
            prober.scheduleWithFixedDelay(this::probe, probeMs, probeMs, TimeUnit.MILLISECONDS);
        }
        return problem;
    }

    /** True while every write pep makes can succeed, as far as pep knows. */
    public boolean isWritable() {
        return problem == null;
    }

    /** The operator's sentence while not writable, else null. */
    public String problem() {
        return problem;
    }

    /** Refuses a request that would write while the folder is not writable (bean step of the routes). */
    public void check() {
        String now = problem;
        if (now != null) {
            throw new DataFolderNotWritable(now, RETRY_AFTER_SECONDS);
        }
    }

    /** The failure a request gets while the folder is not writable (its sentence, or a generic one if it just recovered). */
    public DataFolderNotWritable refusal() {
        String now = problem;
        return new DataFolderNotWritable(now != null ? now : "pep's data folder did not take a write; nothing was"
                + " changed, retry in a few seconds", RETRY_AFTER_SECONDS);
    }

    private void probe() {
        try {
            for (Path folder : failed.keySet()) {
                if (!writes(folder)) {
                    return;
                }
            }
            for (BooleanSupplier repair : repairs) {
                if (!repair.getAsBoolean()) {
                    return;
                }
            }
            synchronized (this) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
                LOG.info("pep's data folder {} takes writes again after {} s; requests are served again",
                        String.join(", ", failed.keySet().stream().map(Path::toString).toList()), seconds);
                failed.clear();
                problem = null;
                throw new RecoveredSignal(); // ends this schedule
            }
        } catch (RecoveredSignal done) {
            throw done;
        } catch (RuntimeException e) {
            LOG.debug("Data folder probe failed: {}", e.getMessage());
        }
    }

    /** A real write and fsync of {@link #PROBE_BYTES}, then removed: free space and permissions alike. */
    private static boolean writes(Path folder) {
        Path probe = folder.resolve(PROBE_FILE);
        try {
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.allocate(PROBE_BYTES);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // the next probe truncates it
            }
        }
    }

    /** The innermost cause's own words ("No space left on device"), not the wrappers'. */
    static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
    }

    /** Thrown by a successful probe to end its schedule (a scheduled task ends when it throws). */
    private static final class RecoveredSignal extends RuntimeException {
        RecoveredSignal() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
