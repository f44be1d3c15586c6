package io.pep.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder CSV drops go to (often a network share), and the one way a drop is written there:
 * under a hidden {@code .part} name, every byte written (a short write is written on, so a full
 * disk shows as an error, never as a shorter file), rows counted, forced to the device, the size
 * checked, then renamed to its final name in one step. Any I/O error fails with a sentence naming
 * the folder and the cause, and leaves no file under a final name.
 */
public class DropFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DropFolder.class);
    private static final int BUFFER = 64 * 1024;

    private final Path dir;
    private final Path dataDir;

    /**
     * @param dir the drop folder
     * @param dataDir pep's own data folder: a drop folder inside it is pep's and is created when
     *                missing; any other folder (a share) must exist, so an unmounted share is never
     *                written locally
     */
    public DropFolder(Path dir, Path dataDir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Makes sure drops can go to the folder, and removes the {@code .part} files of runs that were
     * killed while writing (the caller holds the CSV lease: no other drop is being written).
     */
    public void prepare() {
        if (!Files.isDirectory(dir)) {
            if (dir.startsWith(dataDir) && !Files.exists(dir)) {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new DropFailed(dir, e);
                }
            } else {
                throw new DropFailed("The CSV drop folder " + dir + " does not exist (is the share mounted?);"
                        + " nothing was written or marked as dropped, the next run retries once it is there");
            }
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".enrollments-*.csv.part")) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
                LOG.warn("Removed {}: left by a CSV drop that was interrupted while writing", part);
            }
        } catch (IOException e) {
            throw new DropFailed(dir, e);
        }
    }

    /**
     * Writes {@code records} as the drop {@code fileName}; returns the number of rows written. The
     * file appears under its final name only once complete and on the device.
     */
    public long write(String fileName, Iterable<Document> records) {
        return write(fileName, CsvDrop.of(records));
    }

    /** Writes {@code drop} as the file {@code fileName}, as {@link #write(String, Iterable)}. */
    public long write(String fileName, CsvDrop drop) {
        Path target = dir.resolve(fileName);
        Path part = dir.resolve(CsvDrop.tempName(fileName));
        try {
            long bytes = 0;
            try (drop; FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] chunk = new byte[BUFFER];
                int n;
                while ((n = drop.read(chunk, 0, chunk.length)) > 0) {
                    ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
                    // a write may take only part of the buffer (a nearly full disk): write the rest,
                    // which then fails with the device's own error
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    bytes += n;
                }
                out.force(true);
            }
            long size = Files.size(part);
            if (size != bytes) {
                throw new IOException("wrote " + bytes + " bytes but the file holds " + size);
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            syncFolder();
            return drop.getRows();
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the next run removes it (prepare)
            }
            throw e instanceof DropFailed failed ? failed : new DropFailed(dir, e);
        }
    }

    /** The rename itself reaches the device (where the file system allows a folder to be forced). */
    private void syncFolder() {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // not every file system (e.g. some network shares) lets a folder be opened: the file is forced
        }
    }

    /** A drop that could not be written: the operator's sentence is the message. */
    public static class DropFailed extends RuntimeException {

        DropFailed(String sentence) {
            super(sentence);
        }

        DropFailed(Path dir, Exception cause) {
            super("The CSV drop could not be written to " + dir + ": " + cause(cause)
                    + "; nothing was marked as dropped and no partial file was left, the next run retries", cause);
        }

        private static String cause(Exception e) {
            if (e instanceof NoSuchFileException) {
                return "the folder or file disappeared (" + e.getMessage() + ")";
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "permission denied (" + e.getMessage() + ")";
            }
            String message = e.getMessage();
            if (message != null && message.startsWith("/") && e instanceof java.nio.file.FileSystemException fs
                    && fs.getReason() != null) {
                message = fs.getReason();
            }
            return message == null ? e.getClass().getSimpleName() : message;
        }
    }
}
