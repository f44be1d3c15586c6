package io.pep.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map.Entry;
import org.h2.mvstore.MVMap;

/**
 * A unique index of the embedded store (every collection's {@code _id}, records' {@code serialNumber},
 * ...) over an MVStore map whose keys are kept as BSON ({@link BsonType#KEY_VALUES}) and whose values
 * are the documents' positions ({@code _id}s, {@link BsonType#IDS}). Otherwise mongo-java-server's
 * {@code H2UniqueIndex}, whose map Java-serializes its keys.
 */
final class BsonUniqueIndex extends AbstractUniqueIndex<Object> implements IndexBuilds.Recorded {

    private final MVMap<KeyValue, Object> map;
    private final IndexBuilds.Build build;

    BsonUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse, IndexBuilds builds) {
        super(name, keys, sparse);
        this.map = map;
        this.build = builds.open(map);
    }

    /** An update that leaves the indexed values as they were cannot collide: nothing to check. */
    @Override
    public synchronized void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        if (!BsonOrderedIndex.sameIndexedValues(getKeys(), oldDocument, newDocument)) {
            super.checkUpdate(oldDocument, newDocument, collection);
        }
    }

    /** An update that leaves the indexed values as they were leaves the index as it is. */
    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        if (!BsonOrderedIndex.sameIndexedValues(getKeys(), oldDocument, newDocument)) {
            super.updateInPlace(oldDocument, newDocument, position, collection);
        }
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
        return map.remove(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
        return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
        return map.get(keyValue);
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    /** "Not built yet": mongo-java-server builds an index it is given when this says true ({@link IndexBuilds}). */
    @Override
    public boolean isEmpty() {
        return build.needed();
    }

    @Override
    public IndexBuilds.Build build() {
        return build;
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
