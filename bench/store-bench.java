import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.pep.store.EmbeddedMongo;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The embedded store's costs at scale, through the real MongoDB driver, without pep: loads N
 * gateway records in bulk (insertMany, 10,000 a batch) and times the queries pep's routes send, on
 * each backend named: {@code pep} (pep's DurableH2Backend: ordered pages, streamed scans, a commit
 * and fsync per write; {@code pep-nofsync}: the same without fsync), {@code stock} (mongo-java-server's own H2Backend on the same file), {@code memory}
 * (mongo-java-server's in-memory backend, not durable: for reference). Prints a table.
 *
 * <pre>java -cp CLASSPATH bench/store-bench.java RECORDS DATA_DIR [load|BACKEND...]</pre>
 * {@code load} only fills {@code DATA_DIR/mongo.mv} (kept: a later run with the same count reuses it),
 * for bench/store-http.sh to start pep on. Not a test; asserts nothing.
 */
public class StoreBench {

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        List<String> backends = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of("pep", "stock");
        Files.createDirectories(dir);
        if (backends.equals(List.of("load"))) {
            load("pep", dir, records);
            // for bench/store-http.sh: a cursor deep in the chain (the record in the middle)
            EmbeddedMongo store = EmbeddedMongo.start(dir, 0, 16, false);
            try (MongoClient client = MongoClients.create(store.connectionString())) {
                Document middle = identities(client).find(new Document("serialNumber", "SN-" + Math.max(1, records / 2))).first();
                Files.writeString(dir.resolve("middle-id"), middle.getObjectId("_id").toHexString());
            } finally {
                store.close();
            }
            return;
        }
        for (String backend : backends) {
            load(backend, dir.resolve(backend), records);
        }
        System.out.println();
        System.out.println("| backend | records | first page ms (p50) | deep page ms (p50) | lookup ms (p50) | full scan s | scan docs/s | insert ms (p50) | heap after MB |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String backend : backends) {
            measure(backend, dir, records);
        }
    }

    /** Fills DIR/mongo.mv through {@code backend} with {@code records} deployed gateways unless it holds them already. */
    static void load(String backend, Path dir, int records) throws Exception {
        if (backend.equals("memory") || backend.equals("pep-nofsync")) {
            return; // loaded when measured / shares pep's folder
        }
        Files.createDirectories(dir);
        // the page cache is not part of the file: a larger one than pep's 16 MB only speeds the bulk load
        Store store = Store.open(backend, dir, 256);
        try (MongoClient client = MongoClients.create(store.uri())) {
            MongoCollection<Document> collection = identities(client);
            long present = collection.estimatedDocumentCount();
            if (present == records && hasPepIndexes(collection)) {
                System.out.printf("%s: %,d records kept from an earlier run in %s%n", backend, records, dir);
                return;
            }
            if (present > 0) {
                collection.drop();
            }
            createPepIndexes(collection);
            long start = System.nanoTime();
            insert(collection, records);
            System.out.printf("%s: %,d records loaded in %,d ms into %s%n", backend, records,
                    (System.nanoTime() - start) / 1_000_000, dir);
        } finally {
            store.close();
        }
    }

    /** One of the compared stores, on loopback. */
    record Store(String uri, AutoCloseable closer) {
        static Store open(String backend, Path dir, int cacheMb) throws Exception {
            switch (backend) {
                case "pep", "pep-nofsync" -> {
                    EmbeddedMongo embedded = EmbeddedMongo.start(dir, 0, cacheMb, backend.equals("pep"));
                    return new Store(embedded.connectionString(), embedded);
                }
                case "stock", "memory" -> {
                    MongoBackend mongoBackend = backend.equals("stock") ? new H2Backend(dir.resolve("mongo.mv").toString())
                            : new MemoryBackend();
                    MongoServer server = new MongoServer(mongoBackend);
                    server.bind("127.0.0.1", 0);
                    return new Store("mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), server::shutdownNow);
                }
                default -> throw new IllegalArgumentException("backend: pep, stock or memory");
            }
        }

        void close() throws Exception {
            closer.close();
        }
    }

    /** pep's indexes on its records, by the names and options pep creates them with (so pep finds them in place). */
    static final List<IndexModel> PEP_INDEXES = List.of(
            // io.pep.store.StoreIndexes: one provisioning per serial; lookups by serial
            new IndexModel(new Document("serialNumber", 1), new IndexOptions().unique(true).name("serialNumber_1")),
            // io.pep.provisioning.InstanceLeases: reservations by owner lease (absent on deployed records)
            new IndexModel(new Document("reservation", 1), new IndexOptions().unique(true).sparse(true).name("reservation_1")),
            // io.pep.observe.StoreStatistics.COUNT_INDEX: the record gauges are counted from it
            new IndexModel(new Document("deployed", 1).append("uploadedAt", 1).append("uploadRefused", 1),
                    new IndexOptions().name("deployed_1_uploadedAt_1_uploadRefused_1")),
            // io.pep.export.ExportRuns.walkIndex: the exports' claims and run reads, the upload bulks
            new IndexModel(new Document("csvRun", 1).append("_id", 1), new IndexOptions().name("csvRun_1__id_1")),
            new IndexModel(new Document("uploadRun", 1).append("_id", 1), new IndexOptions().name("uploadRun_1__id_1")),
            new IndexModel(new Document("uploadBulk", 1).append("_id", 1), new IndexOptions().name("uploadBulk_1__id_1")));

    static void createPepIndexes(MongoCollection<Document> collection) {
        collection.createIndexes(PEP_INDEXES);
    }

    static boolean hasPepIndexes(MongoCollection<Document> collection) {
        List<String> names = new ArrayList<>();
        collection.listIndexes().forEach(index -> names.add(index.getString("name")));
        return PEP_INDEXES.stream().allMatch(index -> names.contains(index.getOptions().getName()));
    }

    /**
     * {@code records} deployed gateways, each as pep's record-deployment leaves it (the reservation
     * IdentityRequest builds, with the site defaults, then Reservations.deployed: {@code deployed=true},
     * {@code enrollmentID} appended, the lease fields unset): serials {@code SN-1} … {@code SN-<records>},
     * enrollment ids as FCU prints them ({@code A-} + 32 upper-case hex pairs joined by ':'), one gateway
     * every 60–120 s until about now ({@code createdAt} epoch ms), an ObjectId {@code _id} from the driver's clock
     * at that time, so {@code _id} order is insertion order as in pep's store.
     */
    static void insert(MongoCollection<Document> collection, int records) {
        Random random = new Random(7);
        byte[] fingerprint = new byte[32];
        HexFormat colonHex = HexFormat.ofDelimiter(":").withUpperCase();
        long time = System.currentTimeMillis() - records * 120_000L;
        List<Document> batch = new ArrayList<>(10_000);
        for (int i = 1; i <= records; i++) {
            random.nextBytes(fingerprint);
            time += 60_000 + random.nextInt(60_000);
            batch.add(new Document("_id", new ObjectId(new Date(time))).append("serialNumber", "SN-" + i).append("deployed", true)
                    .append("hardwareVersion", "izuma-edge-gateway").append("radioConfig", "00").append("ledConfig", "01")
                    .append("category", "production").append("cloudAddress", "https://gateways.us-east-1.mbedcloud.com")
                    .append("apiAddress", "https://api.us-east-1.mbedcloud.com")
                    .append("gatewayServicesAddress", "https://gateways.us-east-1.mbedcloud.com")
                    .append("createdAt", time)
                    .append("enrollmentID", "A-" + colonHex.formatHex(fingerprint)));
            if (batch.size() == 10_000 || i == records) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
    }

    static void measure(String backend, Path dir, int records) throws Exception {
        Store store = Store.open(backend, dir.resolve(backend.replace("-nofsync", "")), 16);
        String uri = store.uri();
        try (MongoClient client = MongoClients.create(uri + "/?socketTimeoutMS=600000")) {
            MongoCollection<Document> collection = identities(client);
            if (backend.equals("memory")) {
                createPepIndexes(collection);
                insert(collection, records);
            }
            // a cursor deep in the chain: the _id of the record in the middle (by a lookup, not a scan)
            Document middle = collection.find(new Document("serialNumber", "SN-" + (records / 2))).first();
            ObjectId deep = middle.getObjectId("_id");
            boolean fast = backend.startsWith("pep");
            int rounds = fast ? 21 : 3;
            double first = median(rounds, () -> page(collection, null));
            double deepPage = median(rounds, () -> page(collection, deep));
            Random random = new Random(1);
            double lookup = median(fast ? 201 : 21, () -> {
                if (collection.find(new Document("serialNumber", "SN-" + (1 + random.nextInt(records)))).first() == null) {
                    throw new IllegalStateException("lookup found nothing");
                }
            });
            long start = System.nanoTime();
            long scanned = 0;
            try (MongoCursor<Document> cursor = collection.find(new Document("deployed", true)).batchSize(1000).iterator()) {
                while (cursor.hasNext()) {
                    cursor.next();
                    scanned++;
                }
            }
            double scanS = (System.nanoTime() - start) / 1e9;
            // one acknowledged insert at a time, as a provisioning's reservation (another collection)
            MongoCollection<Document> writes = client.getDatabase("mbed_manufacturing_db").getCollection("bench_writes");
            double insert = median(201, () -> writes.insertOne(new Document("serialNumber", new ObjectId().toHexString())));
            System.gc();
            long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
            System.out.printf("| %s | %,d | %.1f | %.1f | %.2f | %.1f | %,.0f | %.2f | %d |%n", backend, records, first, deepPage,
                    lookup, scanS, scanned / scanS, insert, heapMb);
        } finally {
            store.close();
        }
    }

    /** GET /v3/enrollment-ids?limit=1000 (DESC, the default) as queries.camel.yaml asks the store. */
    static void page(MongoCollection<Document> collection, ObjectId last) {
        Document filter = new Document("deployed", true);
        if (last != null) {
            filter.append("_id", new Document("$lt", last));
        }
        int n = 0;
        for (Document ignored : collection.find(filter).sort(new Document("_id", -1)).limit(1000)) {
            n++;
        }
        if (n != 1000) {
            throw new IllegalStateException("a page of " + n);
        }
    }

    static double median(int rounds, Runnable action) {
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }

    static MongoCollection<Document> identities(MongoClient client) {
        return client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
    }
}
