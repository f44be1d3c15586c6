package io.pep.store;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve("mongo.mv").toAbsolutePath();
        DurableH2Backend backend = DurableH2Backend.open(file, cacheMb, fsync);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
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

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdownNow();
        }
    }
}
