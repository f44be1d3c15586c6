package io.pep.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Every process a factory tool run started, by any route: each run puts a marker of its own in the
 * tool's environment ({@value #VARIABLE}), every process the tool starts inherits it, and at the end
 * of the run each process on the machine whose environment carries it is ended. A process that
 * detaches (setsid, a double fork, its own process group) leaves the tool's process tree, but keeps
 * its environment. Only a process that clears its own environment escapes (the process tree watch
 * still ends it while it is a descendant).
 *
 * <p>Read from {@code /proc/<pid>/environ} (Linux; pep sees the environments of its own user's
 * processes). Where {@code /proc} cannot be read, {@link #available()} is false and nothing is found.
 * A cgroup per run would also hold such processes, but needs a cgroup tree delegated to pep's user
 * (systemd {@code Delegate=}, or root in a container), which a station PC or the Docker image does not give.
 */
final class MarkedProcesses {

    /** The environment variable that names a tool run. */
    static final String VARIABLE = "PEP_TOOL_RUN";
    private static final Path PROC = Path.of("/proc");

    private final boolean available;

    private MarkedProcesses(boolean available) {
        this.available = available;
    }

    /** Marked processes are found where this JVM can read its own environment under /proc. */
    static MarkedProcesses onThisSystem() {
        return new MarkedProcesses(Files.isReadable(PROC.resolve("self").resolve("environ"))
                && Files.isDirectory(PROC.resolve("1")));
    }

    boolean available() {
        return available;
    }

    /** A new run's marker: the value of {@value #VARIABLE} for one tool run of {@code owner} ({@link #owner}). */
    static String newMarker(String owner) {
        return owner + ":" + UUID.randomUUID();
    }

    /**
     * Who starts the tool runs: the data folder (a key of its path, so that two peps on one machine
     * never touch each other's tools), this JVM's PID and its start time (a PID alone may be reused).
     */
    static String owner(Path dataDir) {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        return folderKey(dataDir) + ":" + self.pid() + ":" + started;
    }

    static String folderKey(Path dataDir) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The live processes of tool runs started for {@code dataDir} by a pep that is gone (killed, crashed:
     * it could not end them), never those of a pep still running.
     */
    List<ProcessHandle> orphansOf(Path dataDir) {
        return carrying(folderKey(dataDir) + ":", marker -> !ownerAlive(marker));
    }

    /** Whether the pep named in {@code marker} (folder:pid:start:run) still runs. */
    private static boolean ownerAlive(String marker) {
        String[] parts = marker.split(":");
        if (parts.length < 4) {
            return true; // not a marker this pep wrote: leave it alone
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(owner -> started == 0 || owner.info().startInstant()
                            .map(instant -> instant.toEpochMilli() == started).orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The live processes whose environment carries {@code marker} (never pep itself). */
    List<ProcessHandle> find(String marker) {
        return carrying(marker, marker::equals);
    }

    /**
     * The live processes (never pep itself) whose {@value #VARIABLE} starts with {@code prefix} and
     * whose whole marker {@code accepted} takes.
     */
    private List<ProcessHandle> carrying(String prefix, java.util.function.Predicate<String> accepted) {
        List<ProcessHandle> found = new ArrayList<>();
        if (!available) {
            return found;
        }
        byte[] entry = (VARIABLE + "=" + prefix).getBytes(StandardCharsets.US_ASCII);
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, MarkedProcesses::isPid)) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                String marker = pid == self ? null : markerStartingWith(process.resolve("environ"), entry);
                if (marker != null && accepted.test(marker)) {
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc went away under us: what was found so far
        }
        return found;
    }

    /**
     * Ends every process carrying {@code marker}: SIGTERM, up to {@code graceMs} to exit, then SIGKILL
     * to whatever carries it still (looked up again, so a process forked meanwhile goes too), and up
     * to {@code killWaitMs} for those. Returns how many processes carried it at first.
     */
    int end(String marker, long graceMs, long killWaitMs) {
        List<ProcessHandle> marked = find(marker);
        if (marked.isEmpty()) {
            return 0;
        }
        marked.forEach(ProcessHandle::destroy);
        List<ProcessHandle> left = awaitGone(marker, marked, graceMs);
        for (int round = 0; !left.isEmpty() && round < 3; round++) {
            left.forEach(ProcessHandle::destroyForcibly);
            left = awaitGone(marker, left, killWaitMs);
        }
        return marked.size();
    }

    /** Waits up to waitMs for {@code processes} to exit; then what still carries the marker. */
    private List<ProcessHandle> awaitGone(String marker, List<ProcessHandle> processes, long waitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        for (ProcessHandle process : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit does not fail
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return find(marker);
    }

    private static boolean isPid(Path path) {
        String name = path.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** The value of {@value #VARIABLE} in {@code environ} when its entry starts with {@code prefix}, else null. */
    private static String markerStartingWith(Path environ, byte[] prefix) {
        String entry = entryStartingWith(environ, prefix);
        return entry == null ? null : entry.substring(VARIABLE.length() + 1);
    }

    /** The first entry of the NUL-separated environment in {@code environ} that starts with {@code prefix}. */
    private static String entryStartingWith(Path environ, byte[] prefix) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return null; // gone, another user's, or a kernel thread
        }
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i - start >= prefix.length
                        && java.util.Arrays.equals(bytes, start, start + prefix.length, prefix, 0, prefix.length)) {
                    return new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
                }
                start = i + 1;
            }
        }
        return null;
    }

    /** For a log line: a process's command, as far as it can be seen. */
    static String describe(ProcessHandle process) {
        Optional<String> command = process.info().command();
        return process.pid() + command.map(c -> " (" + c + ")").orElse("");
    }
}
