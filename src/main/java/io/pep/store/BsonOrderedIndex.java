package io.pep.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A non-unique index of the embedded store (e.g. the attempt log's {@code time}), which
 * mongo-java-server leaves out altogether: an MVStore map ordered by the indexed values, then the
 * document's {@code _id} (so equal values are distinct keys), to the {@code _id}. It is kept up to
 * date on every write like the unique ones; {@link OrderedH2Collection} walks it for a range or an
 * equality on its first field ({@link #range}), so a time window reads the window's documents, not
 * the collection.
 */
final class BsonOrderedIndex extends Index<Object> implements IndexBuilds.Recorded {

    private final MVMap<KeyValue, Object> map;
    private final IndexBuilds.Build build;
    private final String field;

    BsonOrderedIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse, IndexBuilds builds) {
        super(name, keys, sparse);
        this.map = map;
        this.build = builds.open(map);
        this.field = keys.get(0).getKey();
    }

    /** The first indexed field: the one a query's range is served on. */
    String field() {
        return field;
    }

    /**
     * A bound standing for the value null (null itself means "unbounded" in a range): an equality on
     * null matches documents without the field too, which a non-sparse index keeps under null.
     */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Whether documents without the first field are in the index (under null): not when sparse. */
    boolean holdsMissing() {
        return !isSparse();
    }

    /**
     * Whether the documents of one value of the first field follow each other in {@code _id} order: in
     * a single-field index (keys are value, then the {@code _id}) and in one whose second field is
     * {@code _id} (the keys' order ignores a field's direction).
     */
    boolean orderedById() {
        return getKeys().size() == 1 || "_id".equals(getKeys().get(1).getKey());
    }

    private static Object valueOf(Object bound) {
        return bound == NULL ? null : bound;
    }

    @Override
    public Object getPosition(Document document) {
        return null; // not unique: no single position for a key
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // any value may repeat
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        for (KeyValue key : keysOf(document, position)) {
            map.put(key, Missing.ofNullable(position));
        }
    }

    @Override
    public Object remove(Document document) {
        Object position = document.get("_id");
        for (KeyValue key : keysOf(document, position)) {
            map.remove(key);
        }
        return position;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // any value may repeat
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
            MongoCollection<Object> collection) {
        if (sameIndexedValues(getKeys(), oldDocument, newDocument)) {
            return; // most updates leave most indexes alone: no keys computed
        }
        Set<KeyValue> before = keysOf(oldDocument, position);
        Set<KeyValue> after = keysOf(newDocument, position);
        if (!before.equals(after)) {
            before.forEach(map::remove);
            after.forEach(key -> map.put(key, Missing.ofNullable(position)));
        }
    }

    /**
     * Whether an update leaves the values of an index's fields as they were: each a top-level field
     * present in both documents or in neither, with equal values (a dotted path, or values that differ
     * only in type, say no: the keys are then computed and compared).
     */
    static boolean sameIndexedValues(List<IndexKey> keys, Document before, Document after) {
        for (IndexKey key : keys) {
            String field = key.getKey();
            if (field.indexOf('.') >= 0 || before.containsKey(field) != after.containsKey(field)
                    || !Objects.equals(before.get(field), after.get(field))) {
                return false;
            }
        }
        return true;
    }

    /** The document's keys (one per value of a multi-key field), each followed by the position. */
    private Set<KeyValue> keysOf(Document document, Object position) {
        Set<KeyValue> keys = new java.util.LinkedHashSet<>();
        for (KeyValue values : getKeyValues(document)) {
            List<Object> key = new ArrayList<>(values.size() + 1);
            values.forEach(key::add);
            key.add(Missing.ofNullable(position));
            keys.add(new KeyValue(key));
        }
        return keys;
    }

    @Override
    public boolean canHandle(Document query) {
        return false; // mongo-java-server's own index path is for exact keys; ranges are OrderedH2Collection's
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        throw new UnsupportedOperationException("served through range()");
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

    @Override
    public void drop() {
        // the map is removed by the database (DurableH2Backend)
    }

    /**
     * The positions of the documents whose first indexed value lies in [{@code low}, {@code high}]
     * (MongoDB's order; null: unbounded), in that order or reversed. Each position once.
     */
    Iterable<Object> range(Object low, Object high, boolean descending) {
        return range(low, high, descending, null);
    }

    /**
     * As {@link #range(Object, Object, boolean)}, starting at the documents whose {@code _id} is
     * {@code fromId} (then beyond it in the walk's direction) when the range is one value of an index
     * {@link #orderedById()}: a page after a cursor costs the page, not the documents before it.
     */
    Iterable<Object> range(Object low, Object high, boolean descending, Object fromId) {
        KeyValue from = fromId != null && low != null && low == high && orderedById() ? idKey(low, fromId, descending)
                : descending ? bound(high, MaxKey.getInstance()) : bound(low, MinKey.getInstance());
        Object stop = descending ? low : high;
        return () -> new Iterator<>() {
            private final Cursor<KeyValue, Object> cursor = map.cursor(from, null, descending);
            private final Set<Object> seen = new java.util.HashSet<>();
            private Object next;

            @Override
            public boolean hasNext() {
                while (next == null && cursor.hasNext()) {
                    KeyValue key = cursor.next();
                    if (stop != null) {
                        int order = ValueComparator.asc().compare(key.get(0), valueOf(stop));
                        if (descending ? order < 0 : order > 0) {
                            return false;
                        }
                    }
                    Object position = cursor.getValue();
                    if (seen.add(position)) {
                        next = position;
                    }
                }
                return next != null;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object position = next;
                next = null;
                return position;
            }
        };
    }

    /**
     * How many documents match {@code query} when it is nothing but equalities on the index's first
     * fields (a null matching a missing field too, as in MongoDB), counted from the B-tree's positions
     * without reading a document; null when it cannot tell (another condition, or a document indexed
     * under several keys: {@code documents} differs from the index's size).
     */
    Long countEqual(Document query, long documents) {
        if (query.isEmpty() || query.size() > getKeys().size() || map.sizeAsLong() != documents) {
            return null;
        }
        List<Object> prefix = new ArrayList<>();
        for (IndexKey key : getKeys().subList(0, query.size())) {
            if (!query.containsKey(key.getKey())) {
                return null;
            }
            Object value = query.get(key.getKey());
            if (value instanceof Map || value instanceof java.util.Collection || value instanceof java.util.regex.Pattern
                    || value instanceof de.bwaldvogel.mongo.bson.BsonRegularExpression || value instanceof Missing) {
                return null;
            }
            prefix.add(value instanceof Number number ? number.doubleValue() : value);
        }
        List<Object> low = new ArrayList<>(prefix);
        List<Object> high = new ArrayList<>(prefix);
        for (int i = prefix.size(); i <= getKeys().size(); i++) {
            low.add(MinKey.getInstance());
            high.add(MaxKey.getInstance());
        }
        return Math.max(0, insertionPoint(new KeyValue(high)) - insertionPoint(new KeyValue(low)));
    }

    /**
     * The keys in [{@code low}, {@code high}] after {@code after} (from the first when null), in order,
     * read as the caller goes: a walk a cursor resumes batch by batch, holding nothing between batches
     * but its last key.
     */
    Iterator<Map.Entry<KeyValue, Object>> entriesAfter(KeyValue after, Object low, Object high) {
        KeyValue from = after == null ? bound(low, MinKey.getInstance()) : map.higherKey(after);
        if (after != null && from == null) {
            return java.util.Collections.emptyIterator();
        }
        Cursor<KeyValue, Object> cursor = map.cursor(from);
        return new Iterator<>() {
            private KeyValue next;

            @Override
            public boolean hasNext() {
                if (next == null && cursor.hasNext()) {
                    KeyValue key = cursor.next();
                    if (high == null || ValueComparator.asc().compare(key.get(0), valueOf(high)) <= 0) {
                        next = key;
                    }
                }
                return next != null;
            }

            @Override
            public Map.Entry<KeyValue, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<KeyValue, Object> entry = Map.entry(next, cursor.getValue());
                next = null;
                return entry;
            }
        };
    }

    /**
     * Whether {@code key} is the first of the document's keys in [{@code low}, {@code high}]: a
     * document indexed under several values (an array) is read once by a walk that keeps no set of
     * what it read.
     */
    boolean firstKeyInRange(Document document, Object position, KeyValue key, Object low, Object high) {
        Set<KeyValue> keys = keysOf(document, position);
        if (keys.size() < 2) {
            return true;
        }
        for (KeyValue other : keys) {
            Object value = other.get(0);
            boolean inRange = (low == null || ValueComparator.asc().compare(value, valueOf(low)) >= 0)
                    && (high == null || ValueComparator.asc().compare(value, valueOf(high)) <= 0);
            if (inRange && BsonType.KEY_VALUES.compare(other, key) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The key where a walk over {@code value}'s documents reaches {@code _id} {@code id}: before its keys, or after them descending. */
    private KeyValue idKey(Object value, Object id, boolean descending) {
        List<Object> key = new ArrayList<>(getKeys().size() + 2);
        key.add(valueOf(value));
        key.add(id);
        while (descending && key.size() <= getKeys().size() + 1) {
            key.add(MaxKey.getInstance());
        }
        return new KeyValue(key);
    }

    /** How many keys lie in [{@code low}, {@code high}]: two B-tree descents, no walk. */
    long count(Object low, Object high) {
        long from = low == null ? 0 : insertionPoint(bound(low, MinKey.getInstance()));
        long to = high == null ? map.sizeAsLong() : insertionPoint(bound(high, MaxKey.getInstance()));
        return Math.max(0, to - from);
    }

    private long insertionPoint(KeyValue key) {
        long index = map.getKeyIndex(key);
        return index >= 0 ? index : -(index + 1);
    }

    /** A key just below (MinKey) or above (MaxKey) every key whose first value is {@code value}. */
    private KeyValue bound(Object value, Object edge) {
        if (value == null) {
            return null;
        }
        List<Object> key = new ArrayList<>(getKeys().size() + 1);
        key.add(valueOf(value));
        for (int i = 0; i < getKeys().size(); i++) {
            key.add(edge);
        }
        return new KeyValue(key);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(getName());
    }
}
