package io.pep.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;

/**
 * A mongo-java-server H2 collection that serves two query shapes straight from its B-tree, which
 * is keyed by {@code _id}, instead of mongo-java-server's way (filter every document, sort, collect
 * the whole result in a list):
 * <ul>
 * <li><b>pages</b>: sorted by {@code _id} (either way) with a limit, optionally after a cursor
 * ({@code _id: {$gt|$lt: last}}): the walk starts at the cursor and stops after {@code limit}
 * matches, so a page costs O(limit + log n) whatever its depth (GET /v3/enrollment-ids);</li>
 * <li><b>scans</b>: no sort (natural order = {@code _id} order here): the documents are read
 * batch by batch as the client asks for them, never the whole result in memory (the CSV export's
 * cursor over a million records).</li>
 * </ul>
 * Every other query goes to mongo-java-server unchanged. Each document a query reads is counted
 * ({@link #documentsExamined()}), so tests can pin that listing and lookups never scan.
 */
final class OrderedH2Collection extends H2Collection {

    /** Pages above this are left to mongo-java-server (the page is built in memory). */
    static final int MAX_PAGE = 10_000;
    /** MongoDB's first batch when the client names none. */
    private static final int DEFAULT_FIRST_BATCH = 101;
    private static final int DEFAULT_BATCH = 1000;

    private final MVMap<Object, Document> dataMap;
    private final LongAdder examined = new LongAdder();

    OrderedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.dataMap = dataMap;
    }

    long documentsExamined() {
        return examined.sum();
    }

    /** Every document read counts, also those an index build reads (IndexBuildsTest). */
    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return super.streamAllDocumentsWithPosition().peek(document -> examined.increment());
    }

    /** An index built now (or found built) is recorded so, and not built again at the next start. */
    @Override
    public void addIndex(Index<Object> index) {
        super.addIndex(index);
        if (index instanceof IndexBuilds.Recorded recorded) {
            recorded.build().complete();
        }
    }

    // The map's documents are serialized lazily, when the store commits (DurableH2Backend commits per
    // write, from any thread): a document must never change once it is in the map, or the commit
    // meets it mid-change (ConcurrentModificationException, and the MVStore closes itself). So
    // documents go in as private copies and come out of look-ups by position as copies.

    @Override
    protected Object addDocumentInternal(Document document) {
        return super.addDocumentInternal(document.cloneDeeply());
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument.cloneDeeply());
    }


    @Override
    public synchronized QueryResult handleQuery(QueryParameters parameters) {
        Document selector = parameters.getQuerySelector();
        Document query;
        Document orderBy;
        if (selector.containsKey("$query")) {
            query = (Document) selector.get("$query");
            orderBy = (Document) selector.get("$orderby");
        } else if (selector.containsKey("query")) {
            query = (Document) selector.get("query");
            orderBy = (Document) selector.get("orderby");
        } else {
            query = selector;
            orderBy = null;
        }
        Document projection = parameters.getProjection();
        boolean plain = parameters.getNumberToSkip() == 0 && (projection == null || projection.isEmpty())
                && "_id".equals(getIdField());
        int limit = Math.abs(parameters.getLimit());
        if (plain && !servedByIndex(query)) {
            Boolean ascending = idOrder(orderBy);
            // a window an ordered index holds (e.g. attempts by time) is read from that index (in
            // queryDocuments) unless the _id walk for a page or a streamed scan is the better bet
            Range range = rangeOf(query);
            long inRange = range == null ? -1 : range.index().count(range.low(), range.high());
            boolean window = range != null && selective(inRange);
            if (ascending != null && limit > 0 && limit <= MAX_PAGE && range != null && range.byId()) {
                // one value of an index kept in _id order (an export's claim: records without a run
                // mark, after the last claimed): the walk reads that value's documents only
                return createQueryResult(indexPage(query, range, ascending, limit), parameters.getBatchSize());
            }
            if (isUnsorted(orderBy) && selector.containsKey("$query") && window) {
                // a window an ordered index holds (a run's records): streamed from the index, batch by batch
                return rangeScan(query, range, limit, parameters.getBatchSize());
            }
            if (ascending != null && limit > 0 && limit <= MAX_PAGE && (!window || inRange > 4L * limit)) {
                List<Document> page = page(query, ascending, limit);
                if (page != null) {
                    return createQueryResult(page, parameters.getBatchSize());
                }
            } else if (isUnsorted(orderBy) && selector.containsKey("$query") && (!window || inRange > MAX_PAGE)) {
                // a client's find (the find command always wraps its filter): mongo-java-server's own
                // callers (aggregations, counts, updates) iterate the first batch only
                return scan(query, limit, parameters.getBatchSize());
            }
        }
        // a find's answer is read outside the collection's lock: never a lazily matched result
        QueryResult result = super.handleQuery(parameters);
        return new QueryResult(result.collectDocuments(), result.getCursorId());
    }

    /** {@code true}/{@code false} for a sort on {@code _id} alone (ascending/descending), else null. */
    private static Boolean idOrder(Document orderBy) {
        if (orderBy == null || orderBy.size() != 1 || !(orderBy.get("_id") instanceof Number direction)) {
            return null;
        }
        return direction.intValue() >= 0;
    }

    private static boolean isUnsorted(Document orderBy) {
        return orderBy == null || orderBy.isEmpty()
                || orderBy.size() == 1 && orderBy.get("$natural") instanceof Number n && n.intValue() == 1;
    }

    private boolean servedByIndex(Document query) {
        return getIndexes().stream().anyMatch(index -> index.canHandle(query));
    }

    /** A count of equalities an ordered index holds is read from the index's B-tree (StoreStatistics). */
    @Override
    public synchronized int count(Document query, int skip, int limit) {
        if (query != null && skip <= 0 && limit <= 0) {
            for (var index : getIndexes()) {
                if (index instanceof BsonOrderedIndex ordered) {
                    Long counted = ordered.countEqual(query, count());
                    if (counted != null) {
                        return (int) (long) counted;
                    }
                }
            }
        }
        return super.count(query, skip, limit);
    }

    /**
     * Bounds on the first field of an ordered (non-unique) index; either may be null (open), and
     * {@link BsonOrderedIndex#NULL} stands for the value null.
     */
    private record Range(BsonOrderedIndex index, Object low, Object high) {

        /** One value of an index whose documents of one value are in _id order. */
        boolean byId() {
            return low != null && low == high && index.orderedById();
        }
    }

    /**
     * Every query mongo-java-server runs (finds, counts, updates, deletes) comes here: one with a range
     * or an equality on the first field of an ordered index reads only the documents the index puts in
     * that range ({@link BsonOrderedIndex}), in the index's order when sorted by that field (so a limit
     * stops the walk); the full query is still matched on each document.
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
            Document fieldSelector) {
        boolean byUniqueIndex = servedByIndex(query);
        IdWindow idWindow = byUniqueIndex || !isUnsorted(orderBy) ? null : idWindowOf(query);
        Range range = byUniqueIndex || idWindow != null ? null : rangeOf(query);
        Boolean ascending;
        Iterable<Object> positions;
        if (idWindow != null) {
            // one value of an index kept in _id order, within an _id window (an export's batch): the window only
            ascending = null;
            positions = idWindow.positions();
        } else if (range == null || !selective(range.index().count(range.low(), range.high()))) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        } else {
            ascending = fieldOrder(orderBy, range.index().field());
            positions = range.index().range(range.low(), range.high(), Boolean.FALSE.equals(ascending));
        }
        if ((ascending != null || isUnsorted(orderBy)) && batchSize == 0 && (fieldSelector == null || fieldSelector.isEmpty())) {
            // mongo-java-server's own callers (updates, deletes, counts): streamed, as matchDocuments does
            Iterable<Document> matches = () -> {
                DefaultQueryMatcher matcher = new DefaultQueryMatcher();
                return window(java.util.stream.StreamSupport.stream(positions.spliterator(), false)
                        .map(this::getDocument)
                        .filter(document -> document != null && matcher.matches(document, query)), numberToSkip, limit);
            };
            return new QueryResult(matches);
        }
        return matchDocuments(query, positions, ascending != null ? null : orderBy, numberToSkip, limit, batchSize,
                fieldSelector);
    }

    /**
     * An equality on the first field of an index kept in {@code _id} order ({@link Range#byId()}) and
     * an {@code _id} window bounded both ways ({@code {f: v, _id: {$gt|$gte: a, $lt|$lte: b}}}, other
     * conditions checked on each document): the positions of that value from {@code a} to {@code b},
     * in {@code _id} order. How an export writes one batch of the records it read (a claim, a bulk's
     * marks) without listing their ids: it reads the batch's documents only.
     */
    private record IdWindow(BsonOrderedIndex index, Object value, Object from, Object to) {

        Iterable<Object> positions() {
            Iterable<Object> all = index.range(value, value, false, from);
            return () -> new Iterator<>() {
                private final Iterator<Object> walk = all.iterator();
                private Object next;
                private boolean done;

                @Override
                public boolean hasNext() {
                    if (next == null && !done && walk.hasNext()) {
                        Object position = walk.next();
                        if (ValueComparator.asc().compare(position, to) > 0) {
                            done = true;
                        } else {
                            next = position;
                        }
                    }
                    return next != null;
                }

                @Override
                public Object next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Object position = next;
                    next = null;
                    return position;
                }
            };
        }
    }

    /** The narrowest {@link IdWindow} the query (top level) names, or null. */
    private IdWindow idWindowOf(Document query) {
        if (!(query.get("_id") instanceof Document idCondition)) {
            return null;
        }
        Object from = startKey(idCondition, true);
        Object to = startKey(idCondition, false);
        if (from == null || to == null || !boundable(from) || !boundable(to)) {
            return null;
        }
        IdWindow best = null;
        long bestCount = Long.MAX_VALUE;
        for (var index : getIndexes()) {
            if (index instanceof BsonOrderedIndex ordered && ordered.orderedById()) {
                Object[] bounds = new Object[2];
                if (bound(query, ordered, bounds) && bounds[0] != null && bounds[0] == bounds[1]) {
                    long count = ordered.count(bounds[0], bounds[1]);
                    if (count < bestCount) {
                        best = new IdWindow(ordered, bounds[0], from, to);
                        bestCount = count;
                    }
                }
            }
        }
        return best;
    }

    /**
     * Whether reading the range document by document beats reading the whole collection in order: a
     * document fetched by position costs several times one read in sequence (a window holding the
     * whole attempt log is read faster as a scan), so only a range of at most a page or an eighth of
     * the collection.
     */
    private boolean selective(long inRange) {
        return inRange <= MAX_PAGE || inRange * 8 <= count();
    }

    /** {@code true}/{@code false} for a sort on {@code field} alone (ascending/descending), else null. */
    private static Boolean fieldOrder(Document orderBy, String field) {
        if (orderBy == null || orderBy.size() != 1 || !(orderBy.get(field) instanceof Number direction)) {
            return null;
        }
        return direction.intValue() >= 0;
    }

    /** The narrowest range of an ordered index the query (a conjunction, top level or {@code $and}) bounds, or null. */
    private Range rangeOf(Document query) {
        Range best = null;
        long bestCount = Long.MAX_VALUE;
        for (var index : getIndexes()) {
            if (index instanceof BsonOrderedIndex ordered) {
                Object[] bounds = new Object[2];
                boolean bounded = bound(query, ordered, bounds);
                if (query.get("$and") instanceof List<?> parts) {
                    for (Object part : parts) {
                        if (part instanceof Document condition) {
                            bounded |= bound(condition, ordered, bounds);
                        }
                    }
                }
                long count = bounded ? ordered.count(bounds[0], bounds[1]) : Long.MAX_VALUE;
                if (count < bestCount) { // the narrowest (e.g. attempts of one serial, not of the whole day)
                    best = new Range(ordered, bounds[0], bounds[1]);
                    bestCount = count;
                }
            }
        }
        return best;
    }

    /**
     * Narrows {@code bounds} by the condition on the index's first field in {@code query}: an equality
     * on null ({@code {f: null}}, {@code {f: {$eq: null}}}: the field null or missing) is the index's
     * null keys when it holds documents without the field, and only when nothing else bounds the field.
     */
    private static boolean bound(Document query, BsonOrderedIndex index, Object[] bounds) {
        String field = index.field();
        if (!query.containsKey(field)) {
            return false;
        }
        Object condition = query.get(field);
        boolean isNull = condition == null
                || condition instanceof Document operators && operators.size() == 1 && operators.containsKey("$eq")
                        && operators.get("$eq") == null;
        if (isNull) {
            if (!index.holdsMissing() || bounds[0] != null || bounds[1] != null) {
                return false;
            }
            bounds[0] = BsonOrderedIndex.NULL;
            bounds[1] = BsonOrderedIndex.NULL;
            return true;
        }
        if (bounds[0] == BsonOrderedIndex.NULL) {
            return false; // null and another bound on one field: left to the matcher
        }
        return bound(condition, bounds);
    }

    /**
     * Narrows {@code bounds} ([low, high]) by one field condition: a plain value, or {@code $eq}, {@code $gt},
     * {@code $gte}, {@code $lt}, {@code $lte} (other operators are left to the matcher). False when it
     * gives no bound (null, arrays, documents and patterns have other semantics: not served).
     */
    private static boolean bound(Object condition, Object[] bounds) {
        if (condition instanceof Document operators) {
            boolean bounded = false;
            for (Map.Entry<String, Object> operator : operators.entrySet()) {
                Object value = operator.getValue();
                if (!boundable(value)) {
                    continue;
                }
                switch (operator.getKey()) {
                    case "$eq" -> bounded |= low(bounds, value) | high(bounds, value);
                    case "$gt", "$gte" -> bounded |= low(bounds, value);
                    case "$lt", "$lte" -> bounded |= high(bounds, value);
                    default -> { }
                }
            }
            return bounded;
        }
        return boundable(condition) && low(bounds, condition) | high(bounds, condition);
    }

    private static boolean boundable(Object value) {
        return value != null && !(value instanceof de.bwaldvogel.mongo.backend.Missing) && !(value instanceof Map)
                && !(value instanceof java.util.Collection) && !(value instanceof java.util.regex.Pattern)
                && !(value instanceof de.bwaldvogel.mongo.bson.BsonRegularExpression);
    }

    private static boolean low(Object[] bounds, Object value) {
        if (bounds[0] == null || ValueComparator.asc().compare(value, bounds[0]) > 0) {
            bounds[0] = value;
        }
        return true;
    }

    private static boolean high(Object[] bounds, Object value) {
        if (bounds[1] == null || ValueComparator.asc().compare(value, bounds[1]) < 0) {
            bounds[1] = value;
        }
        return true;
    }

    /**
     * Up to {@code limit} matches in {@code _id} order, walking the B-tree from the query's
     * {@code _id} bound (the keys are in MongoDB's order: {@link BsonType#IDS}). Null, and
     * mongo-java-server's own sort answers, should the keys ever not be in that order.
     */
    private List<Document> page(Document query, boolean ascending, int limit) {
        Object from = startKey(query.get("_id"), ascending);
        ValueComparator order = ascending ? ValueComparator.asc() : ValueComparator.desc();
        List<Document> page = new ArrayList<>(Math.min(limit, 1024));
        Object previousId = null;
        Iterator<Map.Entry<Object, Document>> entries = entries(from, !ascending);
        while (page.size() < limit && entries.hasNext()) {
            Document document = entries.next().getValue();
            examined.increment();
            if (documentMatchesQuery(document, query)) {
                Object id = document.get("_id");
                if (previousId != null && order.compare(previousId, id) > 0) {
                    return null;
                }
                previousId = id;
                page.add(document);
            }
        }
        return page;
    }

    /**
     * Up to {@code limit} matches of one value of an index kept in {@code _id} order
     * ({@link Range#byId()}), in {@code _id} order from the query's {@code _id} bound: reads that
     * value's documents from the bound on, never the collection, nor the whole value.
     */
    private List<Document> indexPage(Document query, Range range, boolean ascending, int limit) {
        Object from = startKey(query.get("_id"), ascending);
        List<Document> page = new ArrayList<>(Math.min(limit, 1024));
        for (Object position : range.index().range(range.low(), range.high(), !ascending, from)) {
            if (page.size() >= limit) {
                break;
            }
            Document document = getDocument(position);
            if (document != null && documentMatchesQuery(document, query)) {
                page.add(document);
            }
        }
        return page;
    }

    /** An unsorted query over a range an ordered index holds: the first batch now, the rest as the client asks. */
    private QueryResult rangeScan(Document query, Range range, int limit, int batchSize) {
        RangeCursor cursor = new RangeCursor(cursorRegistry.generateCursorId(), query, range, limit);
        List<Document> first = cursor.takeDocuments(batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH);
        if (cursor.isEmpty()) {
            return new QueryResult(first);
        }
        cursorRegistry.add(cursor);
        return new QueryResult(first, cursor);
    }

    /**
     * Reads the next matches of a range after the last index key returned, re-seeking the index's
     * B-tree each batch: the collection's lock is held for one batch at a time, nothing is collected
     * beyond a batch, and no snapshot is held between batches.
     */
    private final class RangeCursor extends BatchCursor {

        private final Range range;
        private KeyValue lastKey;

        RangeCursor(long id, Document query, Range range, int limit) {
            super(id, query, limit);
            this.range = range;
        }

        @Override
        boolean fill(List<Document> batch, int wanted) {
            Iterator<Map.Entry<KeyValue, Object>> entries = range.index().entriesAfter(lastKey, range.low(), range.high());
            while (batch.size() < wanted && entries.hasNext()) {
                Map.Entry<KeyValue, Object> entry = entries.next();
                lastKey = entry.getKey();
                Document document = getDocument(entry.getValue());
                if (document != null && range.index().firstKeyInRange(document, entry.getValue(), lastKey, range.low(), range.high())
                        && documentMatchesQuery(document, query)) {
                    batch.add(document);
                }
            }
            return entries.hasNext();
        }
    }

    /**
     * A cursor that reads one batch at a time under the collection's lock (getMore runs outside it,
     * and the query matcher is not thread-safe), up to {@code limit} documents (0: no limit).
     */
    private abstract class BatchCursor extends AbstractCursor {

        final Document query;
        private final int limit;
        private boolean exhausted;
        private int returned;

        BatchCursor(long id, Document query, int limit) {
            super(id);
            this.query = query;
            this.limit = limit;
        }

        /** Adds up to {@code wanted} matches after the last one read to {@code batch}; false once nothing follows. */
        abstract boolean fill(List<Document> batch, int wanted);

        @Override
        public boolean isEmpty() {
            return exhausted;
        }

        @Override
        public List<Document> takeDocuments(int numberToReturn) {
            synchronized (OrderedH2Collection.this) {
                int wanted = numberToReturn > 0 ? numberToReturn : DEFAULT_BATCH;
                if (limit > 0) {
                    wanted = Math.min(wanted, limit - returned);
                }
                List<Document> batch = new ArrayList<>(Math.min(Math.max(wanted, 0), 4096));
                if (exhausted || wanted <= 0) {
                    exhausted = true;
                    return batch;
                }
                boolean more = fill(batch, wanted);
                returned += batch.size();
                exhausted = !more || limit > 0 && returned >= limit;
                return batch;
            }
        }
    }

    /** The key to start from: the bound of {@code {$gt|$gte: x}} ascending, {@code {$lt|$lte: x}} descending. */
    private static Object startKey(Object idCondition, boolean ascending) {
        if (!(idCondition instanceof Document condition)) {
            return null;
        }
        Set<String> operators = ascending ? Set.of("$gt", "$gte") : Set.of("$lt", "$lte");
        for (String operator : operators) {
            Object bound = condition.get(operator);
            if (bound != null) {
                return bound;
            }
        }
        return null;
    }

    private Iterator<Map.Entry<Object, Document>> entries(Object from, boolean reverse) {
        org.h2.mvstore.Cursor<Object, Document> cursor = dataMap.cursor(from, null, reverse);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public Map.Entry<Object, Document> next() {
                Object key = cursor.next();
                return Map.entry(key, cursor.getValue());
            }
        };
    }

    /** An unsorted query: the first batch now, the rest read from the B-tree as the client asks. */
    private QueryResult scan(Document query, int limit, int batchSize) {
        ScanCursor cursor = new ScanCursor(cursorRegistry.generateCursorId(), query, limit);
        List<Document> first = cursor.takeDocuments(batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH);
        if (cursor.isEmpty()) {
            return new QueryResult(first);
        }
        cursorRegistry.add(cursor);
        return new QueryResult(first, cursor);
    }

    /**
     * Reads the next matches after the last key returned, re-seeking the current B-tree each batch
     * (O(log n)): no snapshot is held between batches, so a long export never pins old pages.
     */
    private final class ScanCursor extends BatchCursor {

        private Object lastKey;
        private boolean started;

        ScanCursor(long id, Document query, int limit) {
            super(id, query, limit);
        }

        @Override
        boolean fill(List<Document> batch, int wanted) {
            Object from = started ? dataMap.higherKey(lastKey) : null;
            if (started && from == null) {
                return false;
            }
            started = true;
            org.h2.mvstore.Cursor<Object, Document> cursor = dataMap.cursor(from);
            while (batch.size() < wanted && cursor.hasNext()) {
                lastKey = cursor.next();
                Document document = cursor.getValue();
                examined.increment();
                if (documentMatchesQuery(document, query)) {
                    batch.add(document);
                }
            }
            return cursor.hasNext();
        }
    }

    // counted for documentsExamined(): index lookups and mongo-java-server's own scans

    @Override
    protected Document getDocument(Object position) {
        examined.increment();
        Document stored = super.getDocument(position);
        return stored == null ? null : stored.cloneDeeply(); // a copy: see addDocumentInternal
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
            Document fieldSelector) {
        if (isUnsorted(orderBy) && batchSize == 0 && (fieldSelector == null || fieldSelector.isEmpty())) {
            // mongo-java-server's own callers (updates, deletes, counts, aggregations) take the matches
            // one by one: streamed from the B-tree (a snapshot) instead of collected in a list first,
            // so e.g. an updateMany over a million records needs no memory for them. A matcher per
            // iteration: they may be iterated outside the collection's lock.
            Iterable<Document> matches = () -> {
                DefaultQueryMatcher matcher = new DefaultQueryMatcher();
                return window(dataMap.values().stream()
                        .peek(document -> examined.increment())
                        .filter(document -> matcher.matches(document, query)), numberToSkip, limit);
            };
            return new QueryResult(matches);
        }
        Stream<Document> documents;
        if (isNaturalDescending(orderBy)) {
            List<Document> all = new ArrayList<>();
            Iterator<Map.Entry<Object, Document>> entries = entries(null, true);
            entries.forEachRemaining(entry -> all.add(entry.getValue()));
            documents = all.stream();
        } else {
            documents = dataMap.values().stream();
        }
        return matchDocumentsFromStream(documents.peek(document -> examined.increment()), query, orderBy,
                numberToSkip, limit, batchSize, fieldSelector);
    }

    /** The matches after skipping {@code skip} (0: none), at most {@code limit} of them (0: all), read lazily. */
    private static java.util.Iterator<Document> window(Stream<Document> matches, int skip, int limit) {
        Stream<Document> window = skip > 0 ? matches.skip(skip) : matches;
        return (limit > 0 ? window.limit(limit) : window).iterator();
    }
}
