package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

/**
 * A data folder written by an earlier pep (stock H2 backend, Java-serialized documents) is converted, not
 * lost; one written by a newer pep is refused, not taken for empty.
 */
class StoreFormatTest {

    @Test
    void aStoreOfAnEarlierPepIsConvertedWithItsRecordsAndIndex() throws Exception {
        Path dataDir = Files.createTempDirectory("pep-format");
        MongoServer old = new MongoServer(new H2Backend(dataDir.resolve("mongo.mv").toString()));
        old.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + old.getLocalAddress().getPort())) {
            MongoCollection<Document> records = identities(client);
            records.createIndex(new Document("serialNumber", 1), new IndexOptions().unique(true).name("serialNumber_1"));
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                batch.add(new Document("serialNumber", "OLD-" + i).append("deployed", true).append("enrollmentID", "A-" + i));
            }
            records.insertMany(batch);
        } finally {
            old.shutdownNow();
        }

        for (int open = 0; open < 2; open++) { // converted at the first open, read as is at the second
            try (EmbeddedMongo store = EmbeddedMongo.start(dataDir, 0);
                    MongoClient client = MongoClients.create(store.connectionString())) {
                MongoCollection<Document> records = identities(client);
                assertEquals(250, records.countDocuments());
                assertEquals("A-17", records.find(new Document("serialNumber", "OLD-17")).first().getString("enrollmentID"));
                List<String> newest = new ArrayList<>();
                records.find(new Document("deployed", true)).sort(new Document("_id", -1)).limit(3)
                        .forEach(record -> newest.add(record.getString("serialNumber")));
                assertEquals(List.of("OLD-249", "OLD-248", "OLD-247"), newest);
                MongoWriteException duplicate = assertThrows(MongoWriteException.class,
                        () -> records.insertOne(new Document("serialNumber", "OLD-3")));
                assertEquals(11000, duplicate.getCode(), "the unique index is kept");
            }
        }
    }

    @Test
    void aStoreRecordsItsFormat() throws Exception {
        Path dataDir = Files.createTempDirectory("pep-format");
        EmbeddedMongo.start(dataDir, 0).close();
        try (MVStore file = MVStore.open(dataDir.resolve("mongo.mv").toString())) {
            assertEquals(1, file.<String, Integer>openMap(StoreFormat.MAP_NAME).get("version"));
        }
    }

    /** An older pep would find none of a newer layout's maps and take the store for empty. */
    @Test
    void aDataFolderOfANewerPepIsRefusedAndLeftAsItIs() throws Exception {
        Path dataDir = Files.createTempDirectory("pep-format");
        String path = dataDir.resolve("mongo.mv").toString();
        try (MVStore newer = MVStore.open(path)) {
            newer.<String, Integer>openMap(StoreFormat.MAP_NAME).put("version", 2);
            newer.<String, String>openMap("records-of-format-2").put("SN-1", "A-1");
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedMongo.start(dataDir, 0));
        assertEquals("the data folder " + dataDir.toAbsolutePath() + " was written by a newer pep (store format 2;"
                + " this pep reads format 1 and older): run that pep or a newer one, or this pep on a copy of the"
                + " folder from before the upgrade", refused.getMessage());

        try (MVStore after = MVStore.open(path)) { // the lock was released
            assertEquals(Set.of(StoreFormat.MAP_NAME, "records-of-format-2"), after.getMapNames());
            assertEquals(2, after.<String, Integer>openMap(StoreFormat.MAP_NAME).get("version"));
        }
    }

    private static MongoCollection<Document> identities(MongoClient client) {
        return client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
    }
}
