package io.pep.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's backend: a {@link DurableH2Backend} that is replaced by a fresh one on the
 * same file when its MVStore closed itself after a failed write (a full disk). Until then, every
 * command that touches the store is answered with the {@link DataFolderWatch}'s sentence at once
 * (the closed store would only say "This store is closed"); the driver's handshake and pings still
 * pass, so clients stay connected and get that sentence instead of a timeout. Reopening reads the
 * file's last commit: everything acknowledged is there, since an answer leaves only after its commit.
 */
final class ReopeningBackend implements MongoBackend {

    /** The error code clients see (mongo-java-server's own "unknown error" is -1). */
    static final int NOT_WRITABLE = 9_201;
    private static final Logger LOG = LoggerFactory.getLogger(ReopeningBackend.class);
    /** Commands that never touch the store: served while it is closed, so the driver keeps its connections. */
    private static final Set<String> HANDSHAKE = Set.of("hello", "ismaster", "ping", "buildinfo", "whatsmyuri",
            "getparameter", "connectionstatus", "endsessions", "killcursors", "getlasterror");

    private final Path file;
    private final Supplier<DurableH2Backend> opener;
    private final DataFolderWatch watch;
    private volatile DurableH2Backend current;
    private volatile boolean broken;

    ReopeningBackend(Path file, Supplier<DurableH2Backend> opener, DataFolderWatch watch) {
        this.file = file;
        this.opener = opener;
        this.watch = watch;
        this.current = opener.get();
        watch.onRecovery(this::reopen);
    }

    DurableH2Backend current() {
        return current;
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        String command = message.getDocument().keySet().stream().findFirst().orElse("").toLowerCase(Locale.ROOT);
        if (broken && !HANDSHAKE.contains(command)) {
            return notWritable(watch.problem());
        }
        DurableH2Backend backend = current;
        try {
            return backend.handleMessage(message);
        } catch (RuntimeException e) {
            if (backend == current && storeFailed(backend, e)) { // not a straggler on a store already replaced
                broken = true;
                Throwable cause = backend.backgroundFailure() != null ? backend.backgroundFailure() : e;
                return notWritable(watch.failed(file.getParent(), cause));
            }
            throw e;
        }
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        return current.handleCommand(channel, databaseName, command, query);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return current.handleQuery(query);
    }

    /** The MVStore failed (and closed itself), rather than the command being wrong. */
    private static boolean storeFailed(DurableH2Backend backend, RuntimeException e) {
        if (backend.getMvStore().isClosed()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MVStoreException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command's error answer, built here: mongo-java-server would log a thrown error with its stack
     * trace for every command, and the watch logged the change once already.
     */
    private static Document notWritable(String sentence) {
        return new Document("ok", 0.0)
                .append("errmsg", sentence == null ? "pep's data folder is not writable" : sentence)
                .append("code", NOT_WRITABLE).append("codeName", "DataFolderNotWritable");
    }

    /** A repair of the watch: opens the file again once the folder takes writes; false to try later. */
    private synchronized boolean reopen() {
        if (!broken) {
            return true;
        }
        DurableH2Backend old = current;
        try {
            old.getMvStore().closeImmediately();
        } catch (RuntimeException e) {
            // closed already by its own failure
        }
        try {
            current = opener.get();
        } catch (RuntimeException e) {
            LOG.debug("Reopening {} failed: {}", file, e.getMessage());
            return false;
        }
        broken = false;
        LOG.debug("The embedded store reopened {}", file);
        return true;
    }

    @Override
    public void handleClose(Channel channel) {
        current.handleClose(channel);
    }

    @Override
    public void dropDatabase(String database) {
        current.dropDatabase(database);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return current.getCurrentOperations(query);
    }

    @Override
    public Document getServerStatus() {
        return current.getServerStatus();
    }

    @Override
    public void close() {
        DurableH2Backend backend = current;
        if (broken) {
            backend.getMvStore().closeImmediately();
        } else {
            backend.close();
        }
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        current.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return current.getClock();
    }

    @Override
    public void enableOplog() {
        current.enableOplog();
    }

    @Override
    public void disableOplog() {
        current.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return current.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        current.version(version);
        return this;
    }
}
