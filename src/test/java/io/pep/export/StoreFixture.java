package io.pep.export;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.pep.store.EmbeddedMongo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bson.Document;

/** One embedded MongoDB shared by the pep instances of a test, and direct access to its records. */
final class StoreFixture implements AutoCloseable {

    private final EmbeddedMongo mongo;
    private final MongoServer memoryServer;
    private final String uri;
    final MongoClient client;
    private final Random random = new Random(7);
    private int serial;

    StoreFixture(Path dir) {
        mongo = EmbeddedMongo.start(dir, 0);
        memoryServer = null;
        uri = mongo.connectionString();
        client = MongoClients.create(uri);
    }

    private StoreFixture(MongoServer memoryServer) {
        this.mongo = null;
        this.memoryServer = memoryServer;
        InetSocketAddress address = memoryServer.bind();
        uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
        client = MongoClients.create(uri);
    }

    /** mongo-java-server's in-memory backend (benchmarks: it serves far faster than H2). */
    static StoreFixture inMemory() {
        return new StoreFixture(new MongoServer(new MemoryBackend()));
    }

    /** A store served by {@code backend} (a test's own, e.g. {@link GatedStore}). */
    static StoreFixture over(de.bwaldvogel.mongo.MongoBackend backend) {
        return new StoreFixture(new MongoServer(backend));
    }

    String uri() {
        return uri;
    }

    /** Documents the embedded store's queries on the records read so far (index look-ups count one each). */
    long recordsExamined() {
        return mongo.documentsExamined("mbed_manufacturing_db", "edge_identities");
    }

    MongoCollection<Document> records() {
        return client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
    }

    MongoCollection<Document> runs() {
        return client.getDatabase("mbed_manufacturing_db").getCollection("export_runs");
    }

    String enrollmentId() {
        byte[] fingerprint = new byte[32];
        random.nextBytes(fingerprint);
        return "A-" + HexFormat.ofDelimiter(":").formatHex(fingerprint);
    }

    /** Inserts {@code n} deployed gateways as the provisioning flow leaves them; returns their enrollment ids. */
    List<String> deployed(int n) {
        List<String> ids = new ArrayList<>();
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = enrollmentId();
            ids.add(id);
            batch.add(record("SN-" + (++serial), id));
        }
        if (!batch.isEmpty()) {
            records().insertMany(batch);
        }
        return ids;
    }

    static Document record(String serial, String enrollmentId) {
        return new Document("serialNumber", serial).append("deployed", true).append("enrollmentID", enrollmentId)
                .append("hardwareVersion", "izuma-edge-gateway").append("radioConfig", "00").append("ledConfig", "01")
                .append("category", "production").append("apiAddress", "https://api.us-east-1.mbedcloud.com")
                .append("gatewayServicesAddress", "https://gateways.us-east-1.mbedcloud.com")
                .append("cloudAddress", "https://gateways.us-east-1.mbedcloud.com").append("createdAt", System.currentTimeMillis());
    }

    @Override
    public void close() {
        client.close();
        if (mongo != null) {
            mongo.close();
        } else {
            memoryServer.shutdownNow();
        }
    }
}
