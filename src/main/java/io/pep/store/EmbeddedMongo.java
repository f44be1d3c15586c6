package io.pep.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
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
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** Starts on 127.0.0.1 at {@code port} (0 = any free port), storing in {@code dataDir/mongo.mv.db}. */
    public static EmbeddedMongo start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve("mongo.mv").toAbsolutePath();
        MongoServer server = new MongoServer(new H2Backend(file.toString()));
        server.bind("127.0.0.1", port);
        InetSocketAddress address = server.getLocalAddress();
        LOG.info("Embedded MongoDB store at {} listening on {}:{} (set MONGO_URI to use a real MongoDB)",
                file, address.getHostString(), address.getPort());
        return new EmbeddedMongo(server, address);
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
