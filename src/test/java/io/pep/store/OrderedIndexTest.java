package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

/**
 * The embedded store's non-unique (ordered) indexes: a query bounded on an indexed field reads the
 * documents in its range only, and answers exactly what a collection without the index answers —
 * after inserts, updates that move a document, deletes, and a restart.
 */
class OrderedIndexTest {

    private static final long HOUR = 3_600_000L;
    private static final int OLD = 2000;
    private static final int RECENT = 30;

    @Test
    void rangesReadTheirWindowAndAnswerAsAScanDoes() throws Exception {
        Path dir = Files.createTempDirectory("pep-ordered");
        long now = System.currentTimeMillis();
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> indexed = client.getDatabase("db").getCollection("indexed");
            MongoCollection<Document> plain = client.getDatabase("db").getCollection("plain");
            indexed.createIndex(new Document("time", 1));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < OLD + RECENT; i++) {
                long time = i < OLD ? now - 48 * HOUR + i * 1000L : now - 10 * 60_000L + (i - OLD) * 1000L;
                documents.add(new Document("_id", i).append("n", i).append("time", new Date(time)).append("outcome", i % 3 == 0 ? "ok" : "refused"));
            }
            documents.add(new Document("_id", -1).append("n", -1)); // no time at all
            documents.add(new Document("_id", -2).append("n", -2).append("time", "not a date"));
            indexed.insertMany(documents.stream().map(Document::new).toList());
            plain.insertMany(documents.stream().map(Document::new).toList());

            long before = store.documentsExamined("db", "indexed");
            List<Document> window = indexed.find(Filters.gte("time", new Date(now - HOUR))).into(new ArrayList<>());
            assertEquals(RECENT, window.size());
            long read = store.documentsExamined("db", "indexed") - before;
            assertTrue(read <= RECENT, "the last hour read " + read + " documents of " + (OLD + RECENT));

            before = store.documentsExamined("db", "indexed");
            List<Document> newestFailures = indexed.find(Filters.and(Filters.gte("time", new Date(now - 100 * HOUR)),
                    Filters.ne("outcome", "ok"))).sort(Sorts.descending("time")).limit(5).into(new ArrayList<>());
            assertEquals(5, newestFailures.size());
            read = store.documentsExamined("db", "indexed") - before;
            assertTrue(read <= 8, "the newest 5 failures read " + read + " documents: a sorted walk stops at its limit");

            // a page in _id order over a wide range (records by state, listing) still walks the _id order
            before = store.documentsExamined("db", "indexed");
            assertEquals(10, indexed.find(Filters.gte("time", new Date(now - 100 * HOUR))).sort(Sorts.descending("_id"))
                    .limit(10).into(new ArrayList<>()).size());
            read = store.documentsExamined("db", "indexed") - before;
            assertTrue(read <= 11, "a page of 10 over " + (OLD + RECENT) + " read " + read);

            assertSameAnswers(indexed, plain, now);
            indexed.updateMany(Filters.lt("n", 100), Updates.set("time", new Date(now - 60_000L)));
            plain.updateMany(Filters.lt("n", 100), Updates.set("time", new Date(now - 60_000L)));
            indexed.deleteMany(Filters.and(Filters.gte("n", 100), Filters.lt("n", 200)));
            plain.deleteMany(Filters.and(Filters.gte("n", 100), Filters.lt("n", 200)));
            assertSameAnswers(indexed, plain, now);
        }
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> indexed = client.getDatabase("db").getCollection("indexed");
            assertSameAnswers(indexed, client.getDatabase("db").getCollection("plain"), now);
            long before = store.documentsExamined("db", "indexed");
            // the recent ones and the 102 moved into the last hour (n -2..99)
            assertEquals(RECENT + 102, indexed.find(Filters.gte("time", new Date(now - HOUR))).into(new ArrayList<>()).size());
            long read = store.documentsExamined("db", "indexed") - before;
            assertTrue(read <= RECENT + 102, "after a restart the index is still used: read " + read);
        }
    }

    /**
     * An export's batch write: an equality on the first field of an index kept in _id order with an
     * _id window bounded both ways reads that window only, even when the value holds the whole
     * collection (too many to read through the index otherwise: the collection was scanned), and
     * changes exactly what the same update changes on a collection without the index.
     */
    @Test
    void anIdWindowOfOneValueReadsTheWindowOnly() throws Exception {
        Path dir = Files.createTempDirectory("pep-window");
        int n = 30_000;
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> indexed = client.getDatabase("db").getCollection("indexed");
            MongoCollection<Document> plain = client.getDatabase("db").getCollection("plain");
            indexed.createIndex(new Document("mark", 1).append("_id", 1));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Document document = new Document("_id", i).append("n", i).append("deployed", i % 7 != 0);
                if (i % 2 == 0) {
                    document.append("mark", "run-1"); // the odd ones have no mark (null)
                }
                documents.add(document);
            }
            indexed.insertMany(documents.stream().map(Document::new).toList());
            plain.insertMany(documents.stream().map(Document::new).toList());

            List<Function<MongoCollection<Document>, Long>> writes = List.of(
                    c -> c.updateMany(new Document("mark", "run-1").append("_id", new Document("$gte", 1000).append("$lte", 1198)),
                            Updates.set("bulk", "b1")).getModifiedCount(),
                    c -> c.updateMany(new Document("mark", null).append("_id", new Document("$gt", 2001).append("$lt", 2201))
                            .append("deployed", true), Updates.combine(Updates.set("mark", "run-2"), Updates.inc("attempts", 1)))
                            .getModifiedCount(),
                    c -> c.updateMany(new Document("mark", "run-1").append("_id", new Document("$gte", 4000).append("$lte", 4198)
                            .append("$nin", List.of(4002, 4100))), Updates.set("bulk", "b2")).getModifiedCount());
            for (var write : writes) {
                long before = store.documentsExamined("db", "indexed");
                long modified = write.apply(indexed);
                long read = store.documentsExamined("db", "indexed") - before;
                assertEquals(write.apply(plain), modified);
                assertTrue(modified > 0 && read <= 101, "an update of a window of 100 read " + read + " of " + n);
            }
            List<Document> all = indexed.find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
            assertEquals(plain.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()), all);
            // the index follows the moved documents: the window of run-2 is read back whole
            assertEquals(85, indexed.countDocuments(Filters.eq("mark", "run-2")));
        }
    }

    private static void assertSameAnswers(MongoCollection<Document> indexed, MongoCollection<Document> plain, long now) {
        List<Function<MongoCollection<Document>, List<Document>>> queries = List.of(
                c -> c.find(Filters.gte("time", new Date(now - HOUR))).sort(Sorts.ascending("n")).into(new ArrayList<>()),
                c -> c.find(Filters.lt("time", new Date(now - 47 * HOUR))).sort(Sorts.ascending("n")).into(new ArrayList<>()),
                c -> c.find(Filters.and(Filters.gte("time", new Date(now - 47 * HOUR)), Filters.lt("time", new Date(now - 46 * HOUR)),
                        Filters.eq("outcome", "ok"))).sort(Sorts.descending("_id")).limit(50).into(new ArrayList<>()),
                c -> c.find(Filters.eq("time", new Date(now - 60_000L))).sort(Sorts.ascending("n")).into(new ArrayList<>()),
                c -> c.find(Filters.and(Filters.gte("time", new Date(now - 100 * HOUR)), Filters.lt("time", new Date(now - 90_000L))))
                        .sort(Sorts.descending("time"))
                        .limit(7).projection(new Document("n", 1).append("_id", 0)).into(new ArrayList<>()),
                c -> c.find(Filters.gt("time", "a")).into(new ArrayList<>()),
                c -> List.of(new Document("count", c.countDocuments(Filters.lte("time", new Date(now))))));
        for (var query : queries) {
            List<Bson> expected = new ArrayList<>(query.apply(plain));
            assertEquals(expected, new ArrayList<Bson>(query.apply(indexed)));
        }
    }
}
