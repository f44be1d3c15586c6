package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim reads its batches, not the collection: on the embedded store, with 3,000 records already
 * uploaded and 500 new ones, each store command of an upload claim reads at most one batch of
 * records, and the whole claim about twice the new ones (each found once, updated once); reading
 * the run's records back ({uploadRun: id}) reads those records only. Before, the claim's one query
 * read (and collected) every record of the collection while holding its lock.
 */
class ClaimShapeTest {

    private static final int DONE = 3000;
    private static final int NEW = 500;
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void eachClaimCommandReadsAtMostOneBatchAndTheRunIsReadBackByItsIndex() throws Exception {
        try (StoreFixture store = new StoreFixture(dir.resolve("mongo"))) {
            Map<String, Long> maxPerCommand = new ConcurrentHashMap<>();
            Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
            CommandListener perCommand = new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    startedAt.put(event.getRequestId(), store.recordsExamined());
                }

                @Override
                public void commandSucceeded(CommandSucceededEvent event) {
                    Long before = startedAt.remove(event.getRequestId());
                    if (before != null) {
                        maxPerCommand.merge(event.getCommandName(), store.recordsExamined() - before, Math::max);
                    }
                }
            };
            try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
                    .applyConnectionString(new ConnectionString(store.uri())).addCommandListener(perCommand).build())) {
                ExportRuns runs = new ExportRuns(() -> client, "mbed_manufacturing_db", "edge_identities", "export_runs",
                        "export_locks", 60_000, dir.resolve("drops"), BATCH);
                store.deployed(DONE);
                // an earlier run uploaded these (the first claim also builds the claim index)
                ExportRun first = runs.start(ExportRuns.UPLOAD, "incremental");
                assertEquals(DONE, first.getCount());
                store.records().updateMany(Filters.eq("uploadRun", first.getId()), Updates.set("uploadedAt", 1L));
                runs.finish(first);
                store.deployed(NEW);

                maxPerCommand.clear();
                long before = store.recordsExamined();
                ExportRun run = runs.start(ExportRuns.UPLOAD, "incremental");
                long read = store.recordsExamined() - before;
                assertEquals(NEW, run.getCount());
                assertTrue(read <= 2L * NEW + 2 * BATCH, "the claim of " + NEW + " new records read " + read
                        + " of " + (DONE + NEW));
                long perFind = maxPerCommand.getOrDefault("find", 0L);
                long perUpdate = maxPerCommand.getOrDefault("update", 0L);
                assertTrue(perFind <= BATCH + 1 && perUpdate <= BATCH, "one claim query read " + perFind
                        + " records, one claim update " + perUpdate + " (batches of " + BATCH + ")");

                before = store.recordsExamined();
                List<Document> claimed = new ArrayList<>();
                client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities").find(runs.records(run))
                        .batchSize(BATCH).into(claimed);
                read = store.recordsExamined() - before;
                assertEquals(NEW, claimed.size());
                assertTrue(read <= NEW + 1, "reading the run's " + NEW + " records back read " + read);
                runs.finish(run);
            }
        }
    }
}
