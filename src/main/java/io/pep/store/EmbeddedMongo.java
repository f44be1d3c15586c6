package io.pep.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store when no {@code MONGO_URI} is given: an in-process MongoDB wire-protocol
 * server on loopback, persisting to an H2 file under the data folder, so a newcomer needs
 * nothing installed and records survive a restart. pep talks to it through the real MongoDB
 * driver over TCP, exactly as it would to a real MongoDB.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);
    static final int EVENT_LOOPS = 32;
    static final String FILE_NAME = "mongo.mv";
    /** How often the store manifest is brought up to date (only written when the count changed). */
    private static final long MANIFEST_MS = 1000;

    /**
     * How to run the store. {@code relaxed}: collections whose writes are acknowledged before their
     * commit ({@link DurableH2Backend#open(Path, int, boolean, Set)}). {@code database} and
     * {@code collection} name the identities, counted in the data folder's {@link StoreManifest}
     * (null: no manifest) together with the retired ones in {@code historyCollection}: a store whose
     * identities were all retired still holds them. {@code startEmpty}: begin an empty store even though the manifest says
     * the folder held identities. {@code watch}: shared with the other writers of the data folder
     * (null: one of its own).
     */
    public record Options(int port, int cacheMb, boolean fsync, Set<String> relaxed, String database,
                          String collection, String historyCollection, boolean startEmpty, DataFolderWatch watch) {
    }

    private final MongoServer server;
    private final ReopeningBackend backend;
    private final InetSocketAddress address;
    private final DataFolderWatch ownWatch;
    private final ScheduledExecutorService manifestUpdates;
    private final Runnable finalManifestUpdate;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMongo(MongoServer server, ReopeningBackend backend, InetSocketAddress address,
                          DataFolderWatch ownWatch, ScheduledExecutorService manifestUpdates, Runnable finalManifestUpdate) {
        this.server = server;
        this.finalManifestUpdate = finalManifestUpdate;
        this.backend = backend;
        this.address = address;
        this.ownWatch = ownWatch;
        this.manifestUpdates = manifestUpdates;
    }

    /** {@link #start(Path, int, int, boolean)} with a 16 MB cache and fsync on. */
    public static EmbeddedMongo start(Path dataDir, int port) {
        return start(dataDir, port, 16, true);
    }

    /**
     * Starts on 127.0.0.1 at {@code port} (0 = any free port), storing in {@code dataDir/mongo.mv}
     * with a page cache of {@code cacheMb} MB; every acknowledged write is committed to the file
     * first, and with {@code fsync} forced to the disk.
     */
    public static EmbeddedMongo start(Path dataDir, int port, int cacheMb, boolean fsync) {
        return start(dataDir, port, cacheMb, fsync, Set.of());
    }

    /** As {@link #start(Path, int, int, boolean)}; writes to the {@code relaxed} collections are acknowledged before their commit. */
    public static EmbeddedMongo start(Path dataDir, int port, int cacheMb, boolean fsync, Set<String> relaxed) {
        return start(dataDir, new Options(port, cacheMb, fsync, relaxed, null, null, null, false, null));
    }

    public static EmbeddedMongo start(Path dataDir, Options options) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        StoreManifest manifest = options.database() == null ? null : new StoreManifest(dataDir.toAbsolutePath());
        long held = manifest == null ? 0 : manifest.held();
        if (held > 0 && !options.startEmpty()) {
            refuseLost(file, held, manifest, Files.exists(file) ? null : "is missing");
            refuseLost(file, held, manifest, sizeOf(file) == 0 ? "is empty" : null);
        }
        DataFolderWatch ownWatch = options.watch() == null ? new DataFolderWatch(1000) : null;
        DataFolderWatch watch = options.watch() == null ? ownWatch : options.watch();
        ReopeningBackend backend = new ReopeningBackend(file,
                () -> DurableH2Backend.open(file, options.cacheMb(), options.fsync(), options.relaxed()), watch);
        ScheduledExecutorService manifestUpdates = null;
        Runnable finalManifestUpdate = () -> { };
        if (manifest != null) {
            long identities = identities(backend, options);
            if (held > 0 && identities == 0) {
                if (!options.startEmpty()) {
                    backend.close();
                    refuseLost(file, held, manifest, "holds none of them");
                }
                LOG.warn("Starting with an empty store: the data folder {} held {} identities (pep.data.start-empty)",
                        dataDir.toAbsolutePath(), held);
            }
            manifest.update(identities);
            Runnable update = () -> {
                try {
                    manifest.update(identities(backend, options));
                } catch (RuntimeException e) {
                    LOG.debug("Store manifest not updated now: {}", e.getMessage());
                }
            };
            manifestUpdates = manifestUpdates(update);
            finalManifestUpdate = update;
        }
        MongoServer server = new MongoServer(backend);
        // A connection's commands run on its event loop, which a durable write holds until its commit
        // (and fsync) is done: with Netty's default of 2 per core, at most 4 commands could be in the
        // store at once, so a group commit covered at most 4 writes and reads queued behind fsyncs.
        // One loop per connection of a busy pool; the threads start only when a connection comes.
        server.bind(new InetSocketAddress("127.0.0.1", options.port()), 1, EVENT_LOOPS);
        InetSocketAddress address = server.getLocalAddress();
        LOG.info("Embedded MongoDB store at {} listening on {}:{} (cache {} MB, fsync {}; set MONGO_URI to use a real MongoDB)",
                file, address.getHostString(), address.getPort(), options.cacheMb(), options.fsync() ? "on" : "off");
        return new EmbeddedMongo(server, backend, address, ownWatch, manifestUpdates, finalManifestUpdate);
    }

    private static void refuseLost(Path file, long held, StoreManifest manifest, String what) {
        if (what != null) {
            throw new DataFolderRefused("the data folder " + file.getParent() + " held " + held + " identities (instance "
                    + manifest.instance() + "), but its store file " + file.getFileName() + " " + what + ": restore it"
                    + " from a backup, or start with pep.data.start-empty=true (PEP_DATA_START_EMPTY=true) to begin an"
                    + " empty store");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long identities(ReopeningBackend backend, Options options) {
        long count = 0;
        for (String name : new String[] {options.collection(), options.historyCollection()}) {
            MongoCollection<?> identities = name == null ? null
                    : backend.current().resolveDatabase(options.database()).resolveCollection(name, false);
            count += identities == null ? 0 : identities.count();
        }
        return count;
    }

    /** Keeps the manifest's count current, off the request path; a full disk only delays it. */
    private static ScheduledExecutorService manifestUpdates(Runnable update) {
        ScheduledExecutorService updates = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pep-store-manifest");
            thread.setDaemon(true);
            return thread;
        });
        updates.scheduleWithFixedDelay(update, MANIFEST_MS, MANIFEST_MS, TimeUnit.MILLISECONDS);
        return updates;
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** Documents the store's queries have read from one collection: lets tests pin that queries use an index. */
    public long documentsExamined(String database, String collection) {
        return backend.current().documentsExamined(database, collection);
    }

    /** Commits the store made so far (one per group of durable writes). */
    public long commits() {
        return backend.current().commits();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (manifestUpdates != null) {
                manifestUpdates.shutdownNow();
            }
            finalManifestUpdate.run();
            server.shutdownNow();
            if (ownWatch != null) {
                ownWatch.close();
            }
        }
    }
}
