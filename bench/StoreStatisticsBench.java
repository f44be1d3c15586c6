// What one refresh of the record gauges (io.pep.observe.StoreStatistics: pep_records{state},
// pep_export_ids_pending_upload) costs on N records in the embedded store. Loads N records (9 in 10
// deployed, a third of those uploaded), then reads the gauges: the first read after start, then 5
// more (each a refresh: refresh interval 0). Loopback only, bounded. Run: bench/store-statistics.sh [N]
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pep.observe.StoreStatistics;
import io.pep.store.EmbeddedMongo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

public class StoreStatisticsBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        var dir = Files.createTempDirectory("stats-bench");
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0); MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> records = client.getDatabase("db").getCollection("records");
            long fill = System.nanoTime();
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Document record = new Document("serialNumber", "SN" + i).append("deployed", i % 10 != 0)
                        .append("enrollmentID", "A-" + i).append("createdAt", System.currentTimeMillis());
                if (i % 3 == 0) {
                    record.append("uploadedAt", new Date());
                }
                batch.add(record);
                if (batch.size() == 1000) {
                    records.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                records.insertMany(batch);
            }
            System.out.printf("loaded %d records in %.1f s%n", n, (System.nanoTime() - fill) / 1e9);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new StoreStatistics(() -> client, "db", "records", "runs", 0).bindTo(registry);
            long[] ms = new long[6];
            double deployed = 0;
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                deployed = registry.get("pep.records").tag("state", "deployed").gauge().value();
                ms[i] = (System.nanoTime() - t) / 1_000_000;
            }
            long[] later = java.util.Arrays.copyOfRange(ms, 1, ms.length);
            java.util.Arrays.sort(later);
            System.out.println("| records | first refresh ms | later refreshes median / max ms | deployed |");
            System.out.println("|---:|---:|---|---:|");
            System.out.printf("| %d | %d | %d / %d | %.0f |%n", n, ms[0], later[later.length / 2], later[later.length - 1], deployed);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
