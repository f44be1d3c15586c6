package io.pep.provisioning;

import io.pep.store.DataFolderRefused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * This pep process as the owner of reservations. An <em>instance</em> is a stable name
 * ({@code pep.instance.name}, default host name:port) plus its data folder (identified by a
 * random id kept in the folder, so it survives renames and container re-creation with the same
 * volume); every start is a new <em>incarnation</em> of it with a fresh id.
 *
 * <p>An earlier incarnation of the same instance is certainly dead while this one holds the
 * data folder's lock (an OS file lock, released by the kernel even on kill -9): that is what
 * lets a restarted pep free its predecessor's reservations at once instead of waiting for a
 * lease to lapse. A second pep on the same data folder is refused at start.
 */
public final class Incarnation implements AutoCloseable {

    private final String instanceName;
    private final String dataDirId;
    private final String id = UUID.randomUUID().toString();
    private final String host;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private Incarnation(String instanceName, String dataDirId, String host, FileChannel lockChannel, FileLock lock) {
        this.instanceName = instanceName;
        this.dataDirId = dataDirId;
        this.host = host;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Takes the data folder's lock (or fails: another pep runs on it) and reads or creates its id. */
    public static Incarnation start(Path dataDir, String configuredName, int serverPort) {
        String host = hostName();
        String name = configuredName == null || configuredName.isBlank() ? host + ":" + serverPort : configuredName.strip();
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("pep.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new DataFolderRefused("Another pep is running on the data folder " + dataDir.toAbsolutePath()
                        + " (its pep.lock is held); give each pep instance its own pep.data.dir");
            }
            return new Incarnation(name, dataDirId(dataDir), host, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data folder " + dataDir.toAbsolutePath(), e);
        }
    }

    private static String dataDirId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("instance-id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Path temp = dataDir.resolve("instance-id.tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(id + "\n"));
            channel.force(true);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The stable name of the instance (host name:port unless configured). */
    public String instanceName() {
        return instanceName;
    }

    /** The id of this instance's data folder, the same for every incarnation on it. */
    public String dataDirId() {
        return dataDirId;
    }

    /** This process's id, new at every start. */
    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the process is ending: the OS releases the lock anyway
        }
    }
}
