package io.pep.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 (MVStore) backend made durable and fast to list:
 * <ul>
 * <li>Every command that changed something is committed to the file before its answer leaves
 * (and, with {@code fsync}, forced to the disk): an acknowledged write survives {@code kill -9}
 * (and, with fsync, a power loss). Stock, the MVStore only writes in its background auto-commit,
 * about once a second. Concurrent writers share one commit (group commit).</li>
 * <li>Collections are {@link OrderedH2Collection}s: pages by {@code _id} and unsorted scans are
 * served from the B-tree, in O(page) time and memory; documents are kept as BSON
 * ({@link BsonType}), not Java-serialized, which made reads ~10x cheaper.</li>
 * <li>The MVStore page cache has a set size.</li>
 * </ul>
 */
public final class DurableH2Backend extends H2Backend {

    private static final Logger LOG = LoggerFactory.getLogger(DurableH2Backend.class);

    /** Commands that write (lower case); anything else that left unsaved changes is committed too. */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "createindexes",
            "dropindexes", "drop", "dropdatabase", "create", "renamecollection");
    /** Writes to a document collection, named by the command's first value: may be relaxed by collection. */
    private static final Set<String> DOCUMENT_WRITES = Set.of("insert", "update", "delete");
    /** Commands that never change anything: no commit after them (else any lazily written change is). */
    private static final Set<String> READS = Set.of("find", "getmore", "count", "distinct", "listcollections",
            "listindexes", "killcursors", "hello", "ismaster", "ping", "buildinfo", "endsessions", "dbstats",
            "collstats", "serverstatus", "getlasterror", "whatsmyuri", "getparameter", "connectionstatus");

    /** The MVStore map names mongo-java-server's H2Database uses for a collection. */
    private static final String DATA_MAP_PREFIX = "databases.";
    private static final String META_MAP_PREFIX = "meta.";

    private final boolean fsync;
    private final Set<String> relaxed;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final Object commitLock = new Object();
    private long durableUpTo;
    private AtomicReference<Throwable> backgroundFailure = new AtomicReference<>();

    private DurableH2Backend(MVStore store, boolean fsync, Set<String> relaxed) {
        super(store);
        this.fsync = fsync;
        this.relaxed = Set.copyOf(relaxed);
    }

    /** Opens (or creates) {@code file} with a page cache of {@code cacheMb} MB. */
    public static DurableH2Backend open(Path file, int cacheMb, boolean fsync) {
        return open(file, cacheMb, fsync, Set.of());
    }

    /**
     * As {@link #open(Path, int, boolean)}; inserts, updates and deletes in the {@code relaxed}
     * collections (the attempt log) are acknowledged without a commit of their own: they reach the
     * file with the next durable write's commit or the MVStore's background commit (~1 s), so a
     * crash may lose the last second of them, never anything else.
     */
    public static DurableH2Backend open(Path file, int cacheMb, boolean fsync, Set<String> relaxed) {
        AtomicReference<Throwable> backgroundFailure = new AtomicReference<>();
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).cacheSize(cacheMb)
                    .backgroundExceptionHandler((thread, failure) -> backgroundFailure.compareAndSet(null, failure))
                    .open();
        } catch (MVStoreException e) {
            throw refusal(file, e);
        }
        try {
            StoreFormat.check(store, file);
            IndexBuilds.adoptEarlierIndexes(store, List.of(BSON_SUFFIX, ORDERED_SUFFIX));
            DurableH2Backend backend = new DurableH2Backend(store, fsync, relaxed);
            backend.backgroundFailure = backgroundFailure;
            return backend;
        } catch (RuntimeException refused) {
            store.closeImmediately(); // nothing of this open committed, and the file lock released
            throw refused instanceof MVStoreException failed ? refusal(file, failed) : refused;
        }
    }

    /** Why the file cannot be opened, in the operator's words (H2 says "The file is locked", or only "null"). */
    private static RuntimeException refusal(Path file, MVStoreException e) {
        if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
            return new DataFolderRefused("Another pep is running on the data folder " + file.getParent() + " (its store"
                    + " file " + file.getFileName() + " is locked); stop it first, or give each pep instance its own"
                    + " pep.data.dir", e);
        }
        if (e.getErrorCode() == DataUtils.ERROR_WRITING_FAILED || e.getCause() instanceof java.nio.file.AccessDeniedException) {
            return new DataFolderRefused("the store file " + file + " cannot be written (" + DataFolderWatch.reason(e)
                    + "): free space on its disk or fix the folder's permissions, then start pep again", e);
        }
        return new DataFolderRefused("the store file " + file + " is damaged (" + damage(file, e) + "):"
                + " restore the data folder from a backup; keep the damaged file for the analysis", e);
    }

    /** H2's words without its channel ids and version tags; a cut file said as such. */
    private static String damage(Path file, MVStoreException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                long size = file.toFile().length();
                return "it ends after " + size + " bytes, in the middle of its data: the file was cut short";
            }
        }
        return String.valueOf(e.getMessage()).replaceAll("sun\\.nio\\.ch\\.FileChannelImpl@\\p{XDigit}+", "the file")
                .replaceAll("\\s*\\[[0-9./]+\\]", "");
    }

    /** What the MVStore's background commit failed with, if it did: it closed the store then. */
    Throwable backgroundFailure() {
        return backgroundFailure.get();
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // also after a failed write: part of an insertMany may be in
            if (needsCommit(command, query)) {
                makeDurable();
            }
        }
    }

    private boolean needsCommit(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (DOCUMENT_WRITES.contains(name)) {
            return !relaxed.contains(String.valueOf(query.get(command)));
        }
        if (WRITES.contains(name)) {
            return true;
        }
        // anything else that left unsaved changes (e.g. an aggregation's $out) is committed too
        return !READS.contains(name) && getMvStore().hasUnsavedChanges();
    }

    /** Commits made so far (each with an fsync when on): lets tests and benchmarks see the group commit. */
    public long commits() {
        return commits.get();
    }

    /**
     * Commits everything written so far; with fsync also forces the file to the disk. A writer takes
     * a ticket after its write; one commit started after the ticket covers it, so writers waiting
     * here while another commits are mostly done by that commit.
     */
    private void makeDurable() {
        long ticket = writes.incrementAndGet();
        synchronized (commitLock) {
            if (durableUpTo >= ticket) {
                return;
            }
            long upTo = writes.get();
            MVStore store = getMvStore();
            store.commit();
            // waits for chunks the background auto-commit may still be writing, then syncs
            store.executeFilestoreOperation(fsync ? store.getFileStore()::sync : () -> { });
            durableUpTo = upTo;
            commits.incrementAndGet();
        }
    }

    /** Documents read by queries on one collection so far (index lookups count one each). */
    public long documentsExamined(String database, String collection) {
        MongoCollection<?> found = resolveDatabase(database).resolveCollection(collection, false);
        return found instanceof OrderedH2Collection ordered ? ordered.documentsExamined() : 0;
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * An inner class on purpose: H2Database's constructor already opens the existing collections,
     * before a subclass's own fields are set; the outer backend (and its MVStore) is there already.
     */
    private final class Database extends H2Database {

        Database(String databaseName) {
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        /** Collections keyed by {@code _id} keep their documents as BSON; system collections stay stock. */
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            if (!"_id".equals(options.getIdField()) || collectionName.startsWith("system.")) {
                return super.openOrCreateCollection(collectionName, options);
            }
            String fullName = getFullCollectionNamespace(collectionName);
            MVStore store = getMvStore();
            MVMap<Object, Document> dataMap = store.openMap(bsonMapName(fullName),
                    new MVMap.Builder<Object, Document>().keyType(BsonType.IDS).valueType(BsonType.DOCUMENTS));
            convertToBson(store, DATA_MAP_PREFIX + fullName, dataMap);
            MVMap<String, Object> metaMap = store.openMap(META_MAP_PREFIX + fullName);
            return new OrderedH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        /** Unique indexes keep their keys as BSON ({@link BsonUniqueIndex}), in a map of their own. */
        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            MVStore store = getMvStore();
            String stockName = indexMapName(collectionName, indexName);
            MVMap<KeyValue, Object> map = store.openMap(stockName + BSON_SUFFIX,
                    new MVMap.Builder<KeyValue, Object>().keyType(BsonType.KEY_VALUES).valueType(BsonType.IDS));
            convertToBson(store, stockName, map);
            return new BsonUniqueIndex(map, indexName, keys, sparse, new IndexBuilds(store));
        }

        /**
         * Non-unique indexes (mongo-java-server ignores them): ordered maps that {@link OrderedH2Collection}
         * walks for a range on their first field. Built from the documents when new (also for an index
         * described by an earlier pep, which had none).
         */
        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            MVMap<KeyValue, Object> map = getMvStore().openMap(indexMapName(collectionName, indexName) + ORDERED_SUFFIX,
                    new MVMap.Builder<KeyValue, Object>().keyType(BsonType.KEY_VALUES).valueType(BsonType.IDS));
            return new BsonOrderedIndex(map, indexName, keys, sparse, new IndexBuilds(getMvStore()));
        }

        @Override
        protected void dropIndex(MongoCollection<Object> collection, String indexName) {
            super.dropIndex(collection, indexName);
            for (String suffix : List.of(BSON_SUFFIX, ORDERED_SUFFIX)) {
                String name = indexMapName(collection.getCollectionName(), indexName) + suffix;
                if (getMvStore().hasMap(name)) {
                    getMvStore().removeMap(name);
                }
            }
        }

        /** mongo-java-server's name for an index's map (H2Database's, private there). */
        private String indexMapName(String collectionName, String indexName) {
            return getFullCollectionNamespace(collectionName) + "._index_" + indexName;
        }

        @Override
        public void dropCollection(String collectionName, Oplog oplog) {
            super.dropCollection(collectionName, oplog);
            String name = bsonMapName(getFullCollectionNamespace(collectionName));
            if (getMvStore().hasMap(name)) {
                getMvStore().removeMap(name);
            }
        }

        @Override
        public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
            throw new MongoServerException("renaming a collection is not supported by pep's embedded store");
        }
    }

    /** Still under H2Database's {@code databases.} prefix, so H2Backend finds the database at start-up. */
    private static String bsonMapName(String fullCollectionName) {
        return DATA_MAP_PREFIX + fullCollectionName + BSON_SUFFIX;
    }

    private static final String BSON_SUFFIX = "#bson";
    private static final String ORDERED_SUFFIX = "#ordered";

    /** A store written by an earlier pep (Java-serialized documents or index keys): converted once, at its first open. */
    private static <K, V> void convertToBson(MVStore store, String oldName, MVMap<K, V> bsonMap) {
        if (!store.hasMap(oldName)) {
            return;
        }
        MVMap<K, V> old = store.openMap(oldName);
        if (!old.isEmpty()) {
            LOG.info("Converting {} record(s) of {} to BSON storage (once)", old.size(), oldName);
            old.forEach(bsonMap::put);
        }
        store.removeMap(old);
        store.commit();
    }
}
