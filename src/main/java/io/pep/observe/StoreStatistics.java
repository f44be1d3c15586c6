package io.pep.observe;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures read from the store when Prometheus scrapes (at most once per {@code pep.metrics.store-refresh}):
 * records by state ({@code pep_records{state=deployed|reserved}}), export runs by kind and status
 * ({@code pep_export_runs{kind,status}}, from the export runs collection the export routes write), the
 * time of the last finished run of each kind ({@code pep_export_last_success_timestamp_seconds{kind}})
 * deployed gateways no upload has taken yet ({@code pep_export_ids_pending_upload}) and bulk uploads
 * not settled ({@code pep_export_bulks{status=pending|failing|given_up}}: pending with the portal,
 * of those the ones whose last check failed, and those pep gave up after
 * {@code pep.portal.bulk.give-up-after}).
 * A down store leaves the last figures in place; health says the store is down.
 */
public class StoreStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(StoreStatistics.class);
    private static final String[] KINDS = {"csv", "upload"};
    private static final String[] RUN_STATUSES = {"running", "finished", "failed", "abandoned"};
    private static final String[] BULK_STATUSES = {"pending", "failing", "given_up"};

    private final Supplier<MongoClient> client;
    private final String database;
    private final String records;
    private final String runs;
    private final String bulks;
    private final long refreshMs;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private volatile long refreshedAt;
    private boolean countIndexReady;

    /** Records by state and upload state: what the gauges count, by equality on a prefix of it. */
    static final Document COUNT_INDEX = new Document("deployed", 1).append("uploadedAt", 1).append("uploadRefused", 1);

    public StoreStatistics(Supplier<MongoClient> client, String database, String records, String runs, long refreshMs) {
        this(client, database, records, runs, null, refreshMs);
    }

    /** @param bulks the export bulks collection ({@code pep.export.bulks-collection}), or null for none */
    public StoreStatistics(Supplier<MongoClient> client, String database, String records, String runs, String bulks,
            long refreshMs) {
        this.client = client;
        this.database = database;
        this.records = records;
        this.runs = runs;
        this.bulks = bulks;
        this.refreshMs = refreshMs;
    }

    public void bindTo(MeterRegistry registry) {
        gauge(registry, "pep.records", "Gateway records by state", "records|deployed", "state", "deployed");
        gauge(registry, "pep.records", "Gateway records by state", "records|reserved", "state", "reserved");
        for (String kind : KINDS) {
            for (String status : RUN_STATUSES) {
                Gauge.builder("pep.export.runs", this, s -> s.value("runs|" + kind + "|" + status))
                        .description("Export runs in the runs collection by kind and status")
                        .tags("kind", kind, "status", status).strongReference(true).register(registry);
            }
            Gauge.builder("pep.export.last.success.timestamp", this, s -> s.value("last|" + kind))
                    .description("Unix time the last finished export run of this kind ended (0: none yet)")
                    .baseUnit("seconds").tags("kind", kind).strongReference(true).register(registry);
        }
        Gauge.builder("pep.export.ids.pending.upload", this, s -> s.value("pending"))
                .description("Deployed gateways no portal upload has taken yet").strongReference(true).register(registry);
        for (String status : BULK_STATUSES) {
            Gauge.builder("pep.export.bulks", this, s -> s.value("bulks|" + status))
                    .description("Bulk uploads not settled: pending with the portal, failing (last check failed), given up")
                    .tags("status", status).strongReference(true).register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, String key, String tag, String value) {
        Gauge.builder(name, this, s -> s.value(key)).description(description).tags(tag, value).strongReference(true).register(registry);
    }

    private double value(String key) {
        refreshIfStale();
        return values.getOrDefault(key, 0.0);
    }

    private synchronized void refreshIfStale() {
        long now = System.currentTimeMillis();
        if (now - refreshedAt < refreshMs) {
            return;
        }
        refreshedAt = now;
        try {
            MongoDatabase db = client.get().getDatabase(database);
            Map<String, Double> fresh = new HashMap<>();
            // counts an index answers (no read of the records: a million of them every scrape was a scan)
            ensureCountIndex(db);
            long total = count(db, new Document());
            long deployed = count(db, new Document("deployed", true));
            long reserved = total - deployed;
            // not yet reported created/duplicate by the portal, nor given up (io.pep.export.UploadLedger)
            long pending = count(db, new Document("deployed", true).append("uploadedAt", null).append("uploadRefused", null));
            fresh.put("records|deployed", (double) deployed);
            fresh.put("records|reserved", (double) reserved);
            fresh.put("pending", (double) pending);
            for (Document run : db.getCollection(runs).find()
                    .projection(new Document("kind", 1).append("status", 1).append("finishedAt", 1))) {
                String kind = String.valueOf(run.get("kind"));
                String status = String.valueOf(run.get("status"));
                fresh.merge("runs|" + kind + "|" + status, 1.0, Double::sum);
                if ("finished".equals(status)) {
                    double finished = epochSeconds(run.get("finishedAt"));
                    fresh.merge("last|" + kind, finished, Math::max);
                }
            }
            if (bulks != null) {
                // one small document per bulk upload: counted by the store without an index
                fresh.put("bulks|pending", (double) count(db, bulks, new Document("status", "pending")));
                fresh.put("bulks|failing", (double) count(db, bulks, new Document("status", "pending")
                        .append("checkFailures", new Document("$gt", 0))));
                fresh.put("bulks|given_up", (double) count(db, bulks, new Document("status", "given-up")));
            }
            values.clear();
            values.putAll(fresh);
        } catch (RuntimeException e) {
            LOG.debug("Store figures not refreshed: {}", e.getMessage());
        }
    }

    /** The {@code count} command: MongoDB counts from the index, so does the embedded store (O(log n)). */
    private long count(MongoDatabase db, Document query) {
        return count(db, records, query);
    }

    private static long count(MongoDatabase db, String collection, Document query) {
        Document answer = db.runCommand(new Document("count", collection).append("query", query));
        return ((Number) answer.get("n")).longValue();
    }

    /** The index {@link #COUNT_INDEX} the record counts are read from; created once (built once on a new store). */
    private void ensureCountIndex(MongoDatabase db) {
        if (!countIndexReady) {
            db.getCollection(records).createIndex(COUNT_INDEX, new com.mongodb.client.model.IndexOptions()
                    .name("deployed_1_uploadedAt_1_uploadRefused_1"));
            countIndexReady = true;
        }
    }

    private static double epochSeconds(Object time) {
        if (time instanceof Date date) {
            return date.getTime() / 1000.0;
        }
        if (time instanceof Number millis) {
            return millis.doubleValue() / 1000.0;
        }
        return 0;
    }
}
