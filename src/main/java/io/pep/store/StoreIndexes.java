package io.pep.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the unique index on {@code serialNumber} exists: it is what turns two concurrent
 * requests for one serial into exactly one provisioning and one 409. Created at start; if
 * MongoDB was down then, the first reservation creates it before inserting. Beside it, the
 * history of retired identities gets its (not unique) index on {@code serialNumber} and on
 * {@code retirePending}: the look-ups of a serial's history and of half-done retirements.
 */
public class StoreIndexes {

    private static final Logger LOG = LoggerFactory.getLogger(StoreIndexes.class);

    private final Supplier<MongoClient> client;
    private final String database;
    private final String collection;
    private final String historyCollection;
    private final AtomicBoolean ready = new AtomicBoolean();

    public StoreIndexes(Supplier<MongoClient> client, String database, String collection, String historyCollection) {
        this.client = client;
        this.database = database;
        this.collection = collection;
        this.historyCollection = historyCollection;
    }

    /** Idempotent and cheap once done; throws (→ 503) while MongoDB is unreachable. */
    public void ensure() {
        if (ready.get()) {
            return;
        }
        synchronized (this) {
            if (!ready.get()) {
                client.get().getDatabase(database).getCollection(collection).createIndex(Indexes.ascending("serialNumber"),
                        new IndexOptions().unique(true).name("serialNumber_1"));
                var history = client.get().getDatabase(database).getCollection(historyCollection);
                history.createIndex(Indexes.ascending("serialNumber"), new IndexOptions().name("serialNumber_1"));
                history.createIndex(Indexes.ascending("retirePending"), new IndexOptions().sparse(true).name("retirePending_1"));
                ready.set(true);
                LOG.info("Unique index on {}.{}.serialNumber is in place", database, collection);
            }
        }
    }
}
