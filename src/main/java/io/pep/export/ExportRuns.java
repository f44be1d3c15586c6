package io.pep.export;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Service;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once bookkeeping of exports in MongoDB, shared by every pep using the same database.
 * <ol>
 * <li><b>Lease</b>: one document per kind in {@code export_locks}, created by an insert (the unique
 * {@code _id} lets exactly one pep win) and removed when the run ends. A lease older than
 * {@code pep.export.lease} belongs to a dead or stuck pep and may be taken over.</li>
 * <li><b>Claim</b>: the lease holder tags the records to export with its run id ({@code csvRun} /
 * {@code uploadRun}) in one {@code updateMany}; that tag is the run's set of records, streamed
 * afterwards by {@code {csvRun: id}}.</li>
 * <li><b>Commit</b>: a record counts as exported once its run's document in {@code export_runs} is
 * {@code finished} — one write, made only after the file is complete (renamed) or the portal
 * reported the bulk upload completed. Runs that failed or were abandoned give their records back to
 * the next claim.</li>
 * </ol>
 * See docs/exports.md for the reasoning.
 */
public class ExportRuns implements Service {

    public static final String CSV = "csv";
    public static final String UPLOAD = "upload";
    private static final Logger LOG = LoggerFactory.getLogger(ExportRuns.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<MongoClient> client;
    private final String database;
    private final String recordsCollection;
    private final String runsCollection;
    private final String locksCollection;
    private final long leaseMs;
    private final Path csvDir;
    private final int claimBatch;
    /** Who holds a lease: this pep (host, process, instance), so a killed holder is recognised at once. */
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final String instance = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    /** Runs of this pep holding a lease (run id -> kind), renewed by the heartbeat. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private ScheduledExecutorService heartbeat;
    /** Claim fields whose index this pep made sure of. */
    private final java.util.Set<String> indexed = ConcurrentHashMap.newKeySet();

    public ExportRuns(Supplier<MongoClient> client, String database, String recordsCollection, String runsCollection,
            String locksCollection, long leaseMs, Path csvDir, int claimBatch) {
        this.client = client;
        this.database = database;
        this.recordsCollection = recordsCollection;
        this.runsCollection = runsCollection;
        this.locksCollection = locksCollection;
        this.leaseMs = leaseMs;
        this.csvDir = csvDir;
        this.claimBatch = Math.max(1, claimBatch);
    }

    /**
     * Renews the leases of this pep's running runs every third of {@code pep.export.lease}, so the
     * lease can be short: a pep that dies stops renewing and its lease is free soon after.
     */
    @Override
    public synchronized void start() {
        if (heartbeat == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pep-export-lease");
                thread.setDaemon(true);
                return thread;
            });
            long every = Math.max(100, leaseMs / 3);
            heartbeat.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
    }

    private void renewLeases() {
        held.forEach((runId, kind) -> {
            try {
                locks().updateOne(Filters.and(Filters.eq("_id", kind), Filters.eq("runId", runId)),
                        Updates.set("until", System.currentTimeMillis() + leaseMs));
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the {} export lease of run {}: {}", kind, runId, e.getMessage());
            }
        });
    }

    /** The record field holding the id of the run that claimed it for {@code kind}. */
    public static String claimField(String kind) {
        return kind + "Run";
    }

    /**
     * Takes the lease of {@code kind}, settles runs left behind, records a new run and claims its
     * records (none in full mode: a full drop is a snapshot of every deployed gateway and leaves the
     * incremental bookkeeping alone). Throws {@link ExportBusy} when another run holds the lease.
     */
    public ExportRun start(String kind, String mode) {
        return start(kind, mode, null);
    }

    /**
     * {@link #start(String, String)} for a run asked for over HTTP: {@code launch} learns the run as
     * soon as it is recorded, before its records are claimed, so the request is answered at once.
     */
    public ExportRun start(String kind, String mode, ExportLaunch launch) {
        long now = System.currentTimeMillis();
        String stamp = STAMP.format(Instant.ofEpochMilli(now));
        String runId = kind + "-" + stamp + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        takeLease(kind, runId, now);
        try {
            ExportRun run = new ExportRun(runId, kind, mode, now);
            if (CSV.equals(kind)) {
                run.setFile("enrollments-" + stamp + "-" + runId.substring(runId.length() - 6) + ".csv");
            }
            List<String> reclaimable = settleLeftBehind(kind, runId);
            runs().insertOne(run.toDocument());
            if (launch != null) {
                launch.recorded(run);
            }
            if (!run.isFull()) {
                run.setCount(claim(kind, runId, reclaimable));
                if (run.getCount() == 0) {
                    run.setFile(null); // nothing new: no empty file
                }
                runs().updateOne(Filters.eq("_id", runId), new Document("$set", run.toDocument()));
            }
            LOG.info("Export run {} started ({} mode{})", runId, mode,
                    run.isFull() ? "" : ", " + run.getCount() + " record(s) claimed");
            return run;
        } catch (RuntimeException e) {
            // a run that could not claim is over: failed at once, its lease free for the next
            try {
                runs().updateOne(Filters.and(Filters.eq("_id", runId), Filters.eq("status", ExportRun.RUNNING)),
                        Updates.combine(Updates.set("status", ExportRun.FAILED), Updates.set("finishedAt", System.currentTimeMillis()),
                                Updates.push("errors", "could not claim its records: " + Sentences.of(e))));
            } catch (RuntimeException ignored) {
                // settled as left behind by the next run
            }
            releaseLease(kind, runId);
            throw e;
        }
    }

    /** Filter of the records this run exports. */
    public Bson records(ExportRun run) {
        return run.isFull() ? new Document("deployed", true) : new Document(claimField(run.getKind()), run.getId());
    }

    /**
     * The number of rows a drop wrote: a full drop's count; an incremental drop must hold every
     * record it claimed, or the file is withdrawn and the run fails (nothing marked).
     */
    public void counted(ExportRun run, long rows) {
        if (!run.isFull() && rows != run.getCount()) {
            deleteFile(run);
            throw new IllegalStateException("The CSV drop " + run.getFile() + " held " + rows + " rows for "
                    + run.getCount() + " claimed records; the file was withdrawn and the next run retries");
        }
        run.setCount(rows);
    }

    /** Commits the run: its records now count as exported. */
    public ExportRun finish(ExportRun run) {
        try {
            run.end(ExportRun.FINISHED, System.currentTimeMillis());
            long committed = runs().updateOne(Filters.and(Filters.eq("_id", run.getId()), Filters.eq("status", ExportRun.RUNNING)),
                    new Document("$set", run.toDocument())).getModifiedCount();
            if (committed == 0) {
                Document stored = runs().find(Filters.eq("_id", run.getId())).first();
                String status = stored == null ? "missing" : stored.getString("status");
                if (!ExportRun.FINISHED.equals(status)) {
                    // another pep took the lease over and gave our records to a new run: withdraw our copy
                    deleteFile(run);
                    throw new IllegalStateException("Export run " + run.getId() + " was " + status + " meanwhile (pep"
                            + " stopped during it, or it outlived its lease: pep.export.lease); its records are exported by a later run");
                }
            }
            LOG.info("Export run {} finished: {} record(s){}", run.getId(), run.getCount(),
                    run.getFile() != null ? " in " + csvDir.resolve(run.getFile()) : "");
            return run;
        } finally {
            releaseLease(run.getKind(), run.getId());
        }
    }

    /**
     * Ends a run that failed: its records go back to the next claim. A CSV file that is already
     * complete (renamed) counts as delivered, so such a run is finished instead.
     */
    public ExportRun fail(ExportRun run, Throwable failure) {
        return fail(run, Sentences.of(failure));
    }

    /** Ends a run that failed, {@code message} saying why in the operator's words. */
    public ExportRun fail(ExportRun run, String message) {
        try {
            if (run.getFile() != null && Files.exists(csvDir.resolve(run.getFile()))) {
                return finish(run);
            }
            deleteFile(run);
            run.getErrors().add(0, message); // the reason first, per-id errors after
            run.end(ExportRun.FAILED, System.currentTimeMillis());
            if (runs().updateOne(Filters.and(Filters.eq("_id", run.getId()), Filters.eq("status", ExportRun.RUNNING)),
                    new Document("$set", run.toDocument())).getModifiedCount() > 0) {
                LOG.warn("Export run {} failed: {}", run.getId(), message);
            } else {
                LOG.debug("Export run {} had ended already; its own end: {}", run.getId(), message);
            }
            return run;
        } finally {
            releaseLease(run.getKind(), run.getId());
        }
    }

    /**
     * Ends a run this pep stops in the middle of (pep is shutting down): recorded as a run left behind
     * would be by the next one — {@code finished} when its CSV file is complete, else {@code abandoned}
     * with {@code why}, its records going to the next run — and its lease freed. The run's own thread
     * may still be busy: the stored status changes only while it is {@code running}, so whichever
     * thread ends the run first decides. Returns the stored status.
     */
    public String abandon(ExportRun run, String why) {
        try {
            long at = System.currentTimeMillis();
            boolean delivered = run.getFile() != null && Files.exists(csvDir.resolve(run.getFile()));
            String status = delivered ? ExportRun.FINISHED : ExportRun.ABANDONED;
            run.end(status, at);
            Bson update = Updates.combine(Updates.set("status", status), Updates.set("finishedAt", at),
                    Updates.push("errors", why));
            if (runs().updateOne(Filters.and(Filters.eq("_id", run.getId()), Filters.eq("status", ExportRun.RUNNING)),
                    update).getModifiedCount() == 0) {
                Document stored = runs().find(Filters.eq("_id", run.getId())).first();
                status = stored == null ? ExportRun.ABANDONED : stored.getString("status");
                run.end(status, at);
            }
            LOG.warn("Export run {} {}: {}", run.getId(), status, why);
            return status;
        } finally {
            releaseLease(run.getKind(), run.getId());
        }
    }

    /** The stored run {@code id} ({@code GET /v3/exports/{id}}); 404 when there is none. */
    public Map<String, Object> stored(String id) {
        Document run = id == null || id.isEmpty() ? null : runs().find(Filters.eq("_id", id)).first();
        if (run == null) {
            throw new io.pep.identity.NotFound();
        }
        return ExportRun.view(run);
    }

    /** The stored view of one run. */
    public Map<String, Object> view(ExportRun run) {
        return ExportRun.view(run.toDocument());
    }

    private void takeLease(String kind, String runId, long now) {
        MongoCollection<Document> locks = locks();
        Document held = locks.find(Filters.eq("_id", kind)).first();
        if (held != null) {
            if (held.get("until", Number.class).longValue() > now && !holderIsGone(held)) {
                throw new ExportBusy(kind, held.getString("runId"));
            }
            LOG.warn("Taking over the {} export lease of run {}: its pep is gone or stopped renewing it", kind,
                    held.getString("runId"));
            locks.deleteOne(Filters.and(Filters.eq("_id", kind), Filters.eq("runId", held.getString("runId"))));
        }
        try {
            locks.insertOne(new Document("_id", kind).append("runId", runId).append("until", now + leaseMs)
                    .append("host", host).append("pid", pid).append("instance", instance));
            this.held.put(runId, kind);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document winner = locks.find(Filters.eq("_id", kind)).first();
                throw new ExportBusy(kind, winner == null ? "?" : winner.getString("runId"));
            }
            throw e;
        }
    }

    /** A lease taken on this host by a process that no longer runs (killed, crashed) is free at once. */
    private boolean holderIsGone(Document lease) {
        Number holder = lease.get("pid", Number.class);
        if (holder == null || !host.equals(lease.getString("host")) || holder.longValue() == pid) {
            return false;
        }
        return ProcessHandle.of(holder.longValue()).map(process -> !process.isAlive()).orElse(true);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private void releaseLease(String kind, String runId) {
        held.remove(runId);
        try {
            locks().deleteOne(Filters.and(Filters.eq("_id", kind), Filters.eq("runId", runId)));
        } catch (RuntimeException e) {
            LOG.warn("Could not release the {} export lease of run {} ({}); it expires by itself", kind, runId, e.getMessage());
        }
    }

    /**
     * Runs of {@code kind} still marked running while we hold the lease were left by a pep that died
     * or lost its lease: a CSV run whose file is complete is finished, any other is abandoned. Returns
     * the ids whose records the next claim takes back (failed and abandoned runs not yet taken back).
     */
    private List<String> settleLeftBehind(String kind, String runId) {
        for (Document left : runs().find(Filters.and(Filters.eq("kind", kind), Filters.eq("status", ExportRun.RUNNING)))) {
            String file = left.getString("file");
            boolean delivered = file != null && Files.exists(csvDir.resolve(file));
            String status = delivered ? ExportRun.FINISHED : ExportRun.ABANDONED;
            runs().updateOne(Filters.and(Filters.eq("_id", left.get("_id")), Filters.eq("status", ExportRun.RUNNING)),
                    Updates.combine(Updates.set("status", status), Updates.set("finishedAt", System.currentTimeMillis()),
                            Updates.push("errors", "left behind by an interrupted pep; settled by " + runId)));
            LOG.warn("Export run {} was interrupted; marked {}", left.get("_id"), status);
        }
        List<String> ids = new ArrayList<>();
        for (Document gone : runs().find(Filters.and(Filters.eq("kind", kind),
                Filters.in("status", ExportRun.FAILED, ExportRun.ABANDONED), Filters.exists("releasedBy", false)))) {
            String file = gone.getString("file");
            if (file != null && Files.exists(csvDir.resolve(file))) {
                // its thread completed the file after the run was ended (a stopping pep): delivered after all
                runs().updateOne(Filters.eq("_id", gone.get("_id")), Updates.combine(Updates.set("status", ExportRun.FINISHED),
                        Updates.set("releasedBy", runId), Updates.push("errors", "its file " + file
                                + " was complete after all; settled as finished by " + runId)));
                LOG.warn("Export run {} was {}, but its file {} is complete: marked finished", gone.get("_id"),
                        gone.getString("status"), file);
                continue;
            }
            ids.add(gone.getString("_id"));
        }
        return ids;
    }

    /**
     * Tags the records to export with the run id, {@code pep.export.claim-batch} at a time: first the
     * records without a mark of this kind, then those of each run given back. Each batch is one query
     * by the index {@link #walkIndex} (the mark's value after the last {@code _id} claimed, sorted by
     * {@code _id}, limited to a batch: it reads that batch, on MongoDB and on the embedded store) and
     * one update of the batch's {@code _id} window in the same index, with the other conditions. No
     * store operation grows with the backlog, and none holds the store between batches.
     */
    private long claim(String kind, String runId, List<String> reclaimable) {
        String field = claimField(kind);
        long claimed = claimHeldBy(kind, field, null, runId);
        for (String gone : reclaimable) {
            claimed += claimHeldBy(kind, field, gone, runId);
        }
        if (!reclaimable.isEmpty()) {
            runs().updateMany(Filters.in("_id", reclaimable), Updates.set("releasedBy", runId));
        }
        return claimed;
    }

    /**
     * Claims the records whose {@code field} is {@code holder} (null: no mark) that the kind may export:
     * per batch the walk read, one update of that batch's {@code _id} window ({@link #updateWindow}).
     */
    private long claimHeldBy(String kind, String field, String holder, String runId) {
        long[] claimed = {0};
        Bson update = Updates.set(field, runId);
        walk(field, holder, batch -> {
            // under the lease nobody else claims: the batch is the window's records with this mark
            claimed[0] += updateWindow(field, holder, batch.get(0).get("_id"), batch.get(batch.size() - 1).get("_id"),
                    List.of(), claimable(kind), update);
        });
        return claimed[0];
    }

    /**
     * Applies {@code update} to the records whose {@code field} is {@code value}, whose {@code _id} lies
     * in [{@code from}, {@code to}] and is not one of {@code except}, and that match {@code conditions}:
     * one store update that reads that window of the index {@link #walkIndex} (on the embedded store as
     * on MongoDB), not a list of ids each document is matched against.
     */
    long updateWindow(String field, Object value, Object from, Object to, List<?> except, Document conditions, Bson update) {
        Document window = new Document("$gte", from).append("$lte", to);
        if (!except.isEmpty()) {
            window.append("$nin", except);
        }
        Document filter = new Document(field, value).append("_id", window);
        filter.putAll(conditions);
        return records().updateMany(filter, update).getModifiedCount();
    }

    /**
     * {@link #updateWindow} over {@code ids} (the records whose {@code field} is {@code value} in
     * ascending {@code _id} order, every such record between the first and the last of them but
     * {@code except}), {@code pep.export.claim-batch} ids per window: one store update per batch.
     */
    long updateWindows(String field, Object value, List<?> ids, List<?> except, Document conditions, Bson update) {
        long modified = 0;
        for (int from = 0; from < ids.size(); from += claimBatch) {
            int to = Math.min(ids.size(), from + claimBatch) - 1;
            modified += updateWindow(field, value, ids.get(from), ids.get(to), except, conditions, update);
        }
        return modified;
    }

    /**
     * Hands the records whose {@code field} is {@code value} to {@code each}, {@code pep.export.claim-batch}
     * at a time in {@code _id} order: one query per batch through the index {@link #walkIndex}
     * ({@code {field: value, _id: {$gt: last}}}, sorted by {@code _id}, limited to a batch), which reads
     * that batch on MongoDB and on the embedded store alike. {@code each} may change {@code field}.
     */
    void walk(String field, Object value, java.util.function.Consumer<List<Document>> each) {
        ensureIndex(field);
        Object last = null;
        while (true) {
            Document query = new Document(field, value);
            if (last != null) {
                query.append("_id", new Document("$gt", last));
            }
            List<Document> batch = records().find(query).sort(Sorts.ascending("_id")).limit(claimBatch)
                    .into(new ArrayList<>(claimBatch));
            if (batch.isEmpty()) {
                return;
            }
            last = batch.get(batch.size() - 1).get("_id");
            each.accept(batch);
            if (batch.size() < claimBatch) {
                return;
            }
        }
    }

    /** Applies {@code update} to the records with these {@code _id}s, {@code pep.export.claim-batch} per store update. */
    long updateByIds(List<?> ids, Bson update) {
        long modified = 0;
        for (int from = 0; from < ids.size(); from += claimBatch) {
            modified += records().updateMany(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + claimBatch))), update)
                    .getModifiedCount();
        }
        return modified;
    }

    /** A deployed gateway; for an upload also not done, not waiting in a bulk, not given up ({@link UploadLedger#NOT_SETTLED}). */
    private static Document claimable(String kind) {
        Document conditions = new Document("deployed", true);
        if (UPLOAD.equals(kind)) {
            for (String mark : List.of("uploadedAt", UploadLedger.BULK, "uploadRefused")) {
                conditions.append(mark, new Document("$exists", false));
            }
        }
        return conditions;
    }

    /**
     * The index {@link #walk} reads by: the field, then {@code _id} ({@code uploadRun_1__id_1},
     * {@code csvRun_1__id_1}, {@code uploadBulk_1__id_1}). Made sure of by this pep on first use (built
     * once from the records when new).
     */
    static Document walkIndex(String field) {
        return new Document(field, 1).append("_id", 1);
    }

    /** The indexes {@link #walk} reads by, for both kinds' run marks and the upload bulks (idempotent). */
    public void ensureIndexes() {
        for (String field : List.of(claimField(CSV), claimField(UPLOAD), UploadLedger.BULK)) {
            ensureIndex(field);
        }
    }

    private void ensureIndex(String field) {
        if (!indexed.contains(field)) {
            records().createIndex(walkIndex(field), new IndexOptions().name(field + "_1__id_1"));
            indexed.add(field);
        }
    }

    private void deleteFile(ExportRun run) {
        if (run.getFile() == null) {
            return;
        }
        try {
            Files.deleteIfExists(csvDir.resolve(run.getFile()));
            Files.deleteIfExists(csvDir.resolve(CsvDrop.tempName(run.getFile())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MongoDatabase db() {
        return client.get().getDatabase(database);
    }

    MongoCollection<Document> records() {
        return db().getCollection(recordsCollection);
    }

    MongoCollection<Document> runs() {
        return db().getCollection(runsCollection);
    }

    private MongoCollection<Document> locks() {
        return db().getCollection(locksCollection);
    }
}
