package io.pep.store;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Properties;

/**
 * What a data folder's store held, kept beside the store file ({@code store-manifest}): how many
 * identities, of which data folder ({@code instance-id}), when. It tells a lost store file (emptied,
 * deleted, truncated to nothing) from a new folder: pep refuses to start on the first instead of
 * beginning an empty store and provisioning the lost serials a second time. A small file of its own,
 * replaced atomically (written, forced, renamed), so it survives whatever happens to the store file.
 */
final class StoreManifest {

    static final String FILE_NAME = "store-manifest";
    private static final String IDENTITIES = "identities";

    private final Path dataDir;
    private long written = -1;

    StoreManifest(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Identities the folder's store held at the last update; 0 for a folder without a manifest. */
    long held() {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            Properties values = new Properties();
            values.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            written = Long.parseLong(values.getProperty(IDENTITIES, "0").strip());
            return written;
        } catch (IOException | NumberFormatException e) {
            throw new DataFolderRefused("the store manifest " + file.toAbsolutePath() + " cannot be read (" + e.getMessage()
                    + "): restore it from a backup, or remove it if the store file " + dataDir.resolve("mongo.mv")
                    + " is known to be complete", e);
        }
    }

    /** The id of the data folder, as pep's instance lease names it ({@code instance-id}), or "unknown". */
    String instance() {
        try {
            Path file = dataDir.resolve("instance-id");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Records {@code identities} when it changed, once the folder held any. */
    synchronized void update(long identities) {
        if (identities == written || written <= 0 && identities == 0 && !Files.exists(dataDir.resolve(FILE_NAME))) {
            return;
        }
        String text = "# pep: what this data folder's store held; a store file that lost them is refused at start\n"
                + IDENTITIES + "=" + identities + "\ninstance=" + instance() + "\nupdated=" + Instant.now() + "\n";
        Path temp = dataDir.resolve(FILE_NAME + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(StandardCharsets.UTF_8.encode(text));
                out.force(true);
            }
            Files.move(temp, dataDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(dataDir, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // not every file system lets a folder be opened; the rename is atomic anyway
            }
            written = identities;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the store manifest " + dataDir.resolve(FILE_NAME), e);
        }
    }
}
