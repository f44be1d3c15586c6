package io.pep.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pep.store.EmbeddedMongo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The record gauges ({@code pep_records}, {@code pep_export_ids_pending_upload}) are counted from an
 * index, not by reading the records: on the embedded store a scrape reads no record at all, however
 * many there are, and the figures are those a scan gives.
 */
class StoreStatisticsCountTest {

    private static final int RECORDS = 3000;

    @Test
    void recordGaugesReadNoRecord() throws Exception {
        try (EmbeddedMongo store = EmbeddedMongo.start(Files.createTempDirectory("pep-stats"), 0);
                MongoClient client = MongoClients.create(store.connectionString())) {
            MongoCollection<Document> records = client.getDatabase("db").getCollection("records");
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                Document record = new Document("serialNumber", "S-" + i).append("deployed", i % 10 != 0);
                if (i % 10 != 0 && i % 3 == 0) {
                    record.append("uploadedAt", new Date());
                } else if (i % 10 != 0 && i % 7 == 0) {
                    record.append("uploadRefused", true);
                }
                batch.add(record);
            }
            records.insertMany(batch);
            StoreStatistics statistics = new StoreStatistics(() -> client, "db", "records", "runs", 0);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            statistics.bindTo(registry);

            assertFigures(registry, records, store); // the first scrape also builds the index (one pass, once)
            // the portal takes some, a gateway is provisioned: the next figures follow, still without a read
            records.updateMany(Filters.and(Filters.eq("deployed", true), Filters.lt("serialNumber", "S-2")),
                    Updates.set("uploadedAt", new Date()));
            records.insertOne(new Document("serialNumber", "S-NEW").append("deployed", true));
            assertEquals(0, assertFigures(registry, records, store), "a scrape read records");
        }
    }

    /** The gauges against a count made by reading every record; returns the records the gauges read. */
    private static long assertFigures(SimpleMeterRegistry registry, MongoCollection<Document> records, EmbeddedMongo store) {
        long before = store.documentsExamined("db", "records");
        double deployedGauge = registry.get("pep.records").tag("state", "deployed").gauge().value();
        double reservedGauge = registry.get("pep.records").tag("state", "reserved").gauge().value();
        double pendingGauge = registry.get("pep.export.ids.pending.upload").gauge().value();
        long read = store.documentsExamined("db", "records") - before;
        long deployed = 0;
        long reserved = 0;
        long pending = 0;
        for (Document record : records.find()) {
            if (Boolean.TRUE.equals(record.getBoolean("deployed"))) {
                deployed++;
                if (!record.containsKey("uploadedAt") && !record.containsKey("uploadRefused")) {
                    pending++;
                }
            } else {
                reserved++;
            }
        }
        assertEquals(deployed, deployedGauge);
        assertEquals(reserved, reservedGauge);
        assertEquals(pending, pendingGauge);
        return read;
    }
}
