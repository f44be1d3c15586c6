package io.pep.store;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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

    private final MongoServer server;
    private final DurableH2Backend backend;
    private final InetSocketAddress address;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private EmbeddedMongo(MongoServer server, DurableH2Backend backend, InetSocketAddress address) {
        this.server = server;
        this.backend = backend;
        this.address = address;
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

    /**
     * As {@link #start(Path, int, int, boolean)}; writes to the {@code relaxed} collections (the attempt
     * log) are acknowledged before they are committed ({@link DurableH2Backend#open(Path, int, boolean, Set)}).
     */
    public static EmbeddedMongo start(Path dataDir, int port, int cacheMb, boolean fsync, Set<String> relaxed) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve("mongo.mv").toAbsolutePath();
        DurableH2Backend backend = DurableH2Backend.open(file, cacheMb, fsync, relaxed);
        MongoServer server = new MongoServer(backend);
        // A connection's commands run on its event loop, which a durable write holds until its commit
        // (and fsync) is done: with Netty's default of 2 per core, at most 4 commands could be in the
        // store at once, so a group commit covered at most 4 writes and reads queued behind fsyncs.
        // One loop per connection of a busy pool; the threads start only when a connection comes.
        server.bind(new InetSocketAddress("127.0.0.1", port), 1, EVENT_LOOPS);
        InetSocketAddress address = server.getLocalAddress();
        LOG.info("Embedded MongoDB store at {} listening on {}:{} (cache {} MB, fsync {}; set MONGO_URI to use a real MongoDB)",
                file, address.getHostString(), address.getPort(), cacheMb, fsync ? "on" : "off");
        return new EmbeddedMongo(server, backend, address);
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** Documents the store's queries have read from one collection: lets tests pin that queries use an index. */
    public long documentsExamined(String database, String collection) {
        return backend.documentsExamined(database, collection);
    }

    /** Commits the store made so far (one per group of durable writes). */
    public long commits() {
        return backend.commits();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdownNow();
        }
    }
}
