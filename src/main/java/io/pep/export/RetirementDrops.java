package io.pep.export;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.pep.provisioning.Retirements;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retirements file of an incremental CSV drop run: the identities retired since the last run,
 * {@code retirements-<UTC time>-<run>.csv} beside the enrollments file (whose format stays SPEC §6).
 * Under the run's csv lease: claim the history entries no drop has written yet ({@code csvRun}),
 * write them with the drop folder's verified writes, then mark them {@code csvDropped}. A run that
 * fails before the mark leaves them to the next run, which claims every unmarked entry again.
 */
public class RetirementDrops {

    public static final List<String> COLUMNS = List.of("enrollmentID", "serialNumber", "retiredAt", "reason", "retiredBy");
    static final String CLAIM = "csvRun";
    static final String DROPPED = "csvDropped";
    private static final Logger LOG = LoggerFactory.getLogger(RetirementDrops.class);

    private final Supplier<MongoClient> client;
    private final String database;
    private final String historyCollection;
    private final DropFolder folder;

    public RetirementDrops(Supplier<MongoClient> client, String database, String historyCollection, DropFolder folder) {
        this.client = client;
        this.database = database;
        this.historyCollection = historyCollection;
        this.folder = folder;
    }

    /** Writes the retirements not in an earlier drop; the file's name, or null when there were none. */
    public String drop(ExportRun run) {
        long claimed = history().updateMany(Filters.eq(DROPPED, null), Updates.set(CLAIM, run.getId())).getModifiedCount();
        if (claimed == 0) {
            return null;
        }
        String id = run.getId();
        String file = "retirements-" + id.substring("csv-".length(), id.length() - 7) + "-" + id.substring(id.length() - 6) + ".csv";
        long rows = folder.write(file, new CsvDrop(history().find(Filters.eq(CLAIM, id)).sort(Sorts.ascending(Retirements.RETIRED_AT)),
                COLUMNS, RetirementDrops::row));
        history().updateMany(Filters.eq(CLAIM, id), Updates.set(DROPPED, true));
        LOG.info("CSV drop run {} wrote {} retirement(s) to {}", id, rows, file);
        return file;
    }

    static List<String> row(Document retired) {
        Object at = retired.get(Retirements.RETIRED_AT);
        return List.of(text(retired.get("enrollmentID")), text(retired.get("serialNumber")),
                at instanceof Number ms ? Instant.ofEpochMilli(ms.longValue()).toString() : "",
                text(retired.get(Retirements.REASON)), text(retired.get(Retirements.RETIRED_BY)));
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private MongoCollection<Document> history() {
        return client.get().getDatabase(database).getCollection(historyCollection);
    }
}
