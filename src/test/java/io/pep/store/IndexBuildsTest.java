package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

/**
 * A start does not build the indexes again: mongo-java-server builds every index that says it is
 * empty, and the records' sparse {@code reservation} index is empty whenever no gateway is being
 * provisioned — each start read every record twice for it (6.6 s at a million records). The index
 * maps of an earlier pep's data folder are adopted; an index whose build was not recorded is built
 * once; the indexes answer right in every case.
 */
class IndexBuildsTest {

    private static final int RECORDS = 3000;

    @Test
    void aRestartReadsNoDocumentToBuildIndexesAndTheyStillHold() throws Exception {
        Path dir = Files.createTempDirectory("pep-index-builds");
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> records = records(client);
            records.createIndex(new Document("serialNumber", 1), new IndexOptions().unique(true).name("serialNumber_1"));
            records.createIndex(new Document("reservation", 1), new IndexOptions().unique(true).sparse(true).name("reservation_1"));
            records.createIndex(new Document("createdAt", 1), new IndexOptions().name("createdAt_1"));
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                documents.add(new Document("serialNumber", "GW-" + i).append("createdAt", new Date(1_700_000_000_000L + i)));
            }
            records.insertMany(documents); // no reservation: that index stays empty
        }

        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            assertEquals(0, store.documentsExamined("db", "records"), "documents read at start to build indexes");
            assertIndexesHold(records(client));
        }

        // a data folder of an earlier pep (no record of builds): its index maps were kept up to date: adopted
        try (MVStore file = new MVStore.Builder().fileName(dir.resolve("mongo.mv").toString()).open()) {
            file.removeMap("pep.index-builds");
        }
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            assertEquals(0, store.documentsExamined("db", "records"), "documents read at the first start after an upgrade");
            assertIndexesHold(records(client));
        }

        // an index whose build was not recorded (made, then a crash before its build was written): built again
        try (MVStore file = new MVStore.Builder().fileName(dir.resolve("mongo.mv").toString()).open()) {
            MVMap<String, Integer> builds = file.openMap("pep.index-builds");
            String serialIndex = builds.keySet().stream().filter(name -> name.contains("serialNumber_1")).findFirst().orElseThrow();
            builds.remove(serialIndex);
        }
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            assertTrue(store.documentsExamined("db", "records") >= RECORDS, "the unrecorded index was built");
            assertIndexesHold(records(client));
        }
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            assertEquals(0, store.documentsExamined("db", "records"), "documents read at the start after");
        }
    }

    private static MongoCollection<Document> records(MongoClient client) {
        return client.getDatabase("db").getCollection("records");
    }

    private static void assertIndexesHold(MongoCollection<Document> records) {
        assertThrows(MongoWriteException.class, () -> records.insertOne(new Document("serialNumber", "GW-5")));
        records.insertOne(new Document("serialNumber", "GW-NEW-1").append("reservation", "R-1"));
        assertThrows(MongoWriteException.class,
                () -> records.insertOne(new Document("serialNumber", "GW-NEW-2").append("reservation", "R-1")));
        records.deleteOne(Filters.eq("serialNumber", "GW-NEW-1"));
        assertEquals(RECORDS, records.countDocuments());
        assertEquals(RECORDS / 2, records.countDocuments(Filters.gte("createdAt", new Date(1_700_000_000_000L + RECORDS / 2))));
    }
}
