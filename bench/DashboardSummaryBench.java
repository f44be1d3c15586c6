// What one /dashboard/api/summary costs on a large attempt log in the embedded store (with the indexes
// pep creates at start: `time` and `serialNumber`; before 2026-11-29 the store ignored them and each call
// scanned the collection, now a window reads its own attempts). Fills N attempts spread
// over 7 days (about 1 in 10 failed, 600 in the last hour), then times fresh summaries per window.
// Loopback only, bounded (N rows, 5 calls per window). Run: bench/dashboard-summary.sh [N]
// The service reuses an answer for max(1 s, 4 x this time), so an open dashboard costs at most ~1/4 core.
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.pep.identity.QueryParameters;
import io.pep.dashboard.DashboardSummary;
import io.pep.dashboard.ExportSchedule;
import io.pep.store.EmbeddedMongo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

public class DashboardSummaryBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        var dir = Files.createTempDirectory("dashboard-bench");
        try (EmbeddedMongo store = EmbeddedMongo.start(dir, 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> attempts = client.getDatabase("db").getCollection("attempts");
            attempts.createIndex(new Document("time", 1)); // as io.pep.attempts.AttemptsConfiguration does
            attempts.createIndex(new Document("serialNumber", 1));
            long now = System.currentTimeMillis();
            long fill = System.nanoTime();
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long age = i < 600 ? i * 6_000L : 3_600_000L + (long) ((i - 600) * (604_000_000.0 - 3_600_000) / Math.max(1, n - 600));
                boolean failed = i % 10 == 3;
                batch.add(new Document("time", new Date(now - age)).append("serialNumber", "SN" + i).append("ip", "10.0.0." + (i % 200))
                        .append("port", "7777").append("outcome", failed ? "gateway-unreachable" : "ok").append("status", failed ? 500 : 200)
                        .append("reason", failed ? "Provisioning of 'SN" + i + "' failed: FCC at 10.0.0." + (i % 200) + ":7777 did not answer" : null)
                        .append("durationMs", 800 + i % 900));
                if (batch.size() == 1000) {
                    attempts.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                attempts.insertMany(batch);
            }
            System.out.printf("filled %d attempts in %.1f s%n", n, (System.nanoTime() - fill) / 1e9);
            for (int i = 0; i < 3; i++) { // warm-up: the JIT, the store's caches
                new DashboardSummary(() -> client, "db", "records", "attempts", () -> null,
                        new ExportSchedule(false, "", false, "")).summary(QueryParameters.parse("window=7d"));
            }
            System.out.println("| window | calls | median ms | max ms | groups |");
            System.out.println("|---|---|---|---|---|");
            for (String window : List.of("1h", "24h", "7d")) {
                long[] ms = new long[5];
                int groups = 0;
                for (int i = 0; i < ms.length; i++) {
                    // a new instance each time: no reuse of an earlier answer
                    DashboardSummary summary = new DashboardSummary(() -> client, "db", "records", "attempts", () -> null,
                            new ExportSchedule(false, "", false, ""));
                    long t = System.nanoTime();
                    java.util.Map<String, Object> answer = summary.summary(QueryParameters.parse("window=" + window));
                    ms[i] = (System.nanoTime() - t) / 1_000_000;
                    groups = ((java.util.List<?>) answer.get("failureGroups")).size();
                }
                java.util.Arrays.sort(ms);
                System.out.printf("| %s | %d | %d | %d | %d |%n", window, ms.length, ms[ms.length / 2], ms[ms.length - 1], groups);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
