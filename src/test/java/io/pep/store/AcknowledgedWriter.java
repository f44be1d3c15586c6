package io.pep.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.nio.file.Path;
import org.bson.Document;

/**
 * Child JVM of {@link AcknowledgedWriteCrashTest}: starts the embedded store on a folder and
 * inserts records through the MongoDB driver without end, printing {@code ACK <n>} after each
 * acknowledged insert, until it is killed.
 */
public final class AcknowledgedWriter {

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        String prefix = args[1];
        boolean fsync = Boolean.parseBoolean(args[2]);
        EmbeddedMongo store = EmbeddedMongo.start(dataDir, 0, 16, fsync);
        try (MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> records = client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
            for (int n = 0; ; n++) {
                records.insertOne(new Document("serialNumber", prefix + n).append("deployed", true));
                System.out.println("ACK " + n);
                System.out.flush();
            }
        }
    }
}
