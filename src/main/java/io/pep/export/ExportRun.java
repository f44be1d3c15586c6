package io.pep.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * One export run as stored in {@code export_runs} and shown by {@code GET /v3/exports}: what kind
 * (csv drop or portal upload), when, how many records it claimed, where they went (file or bulk
 * ids) and how it ended. Records claimed by a run carry its id ({@code csvRun} / {@code uploadRun});
 * they count as exported once the run is {@code finished}.
 */
public class ExportRun {

    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";
    /** Left running by a pep that died or outlived its lease; its records are claimed again. */
    public static final String ABANDONED = "abandoned";

    private final String id;
    private final String kind;
    private final String mode;
    private final long startedAt;
    // written by a stopping pep's thread while the run's own thread may still save the run
    private volatile Long finishedAt;
    private volatile String status = RUNNING;
    private long count;
    private String file;
    private final List<String> bulkIds = new ArrayList<>();
    private final List<String> errorReports = new ArrayList<>();
    private long uploaded;
    private long duplicates;
    private long failed;
    private long refused;
    private long pending;
    private final List<String> errors = new ArrayList<>();

    /** Failures of single files of this run (not stored apart: their sentences go to errors when it ends). */
    private final List<String> partFailures = new ArrayList<>();
    private long retryAt;

    public ExportRun(String id, String kind, String mode, long startedAt) {
        this.id = id;
        this.kind = kind;
        this.mode = mode;
        this.startedAt = startedAt;
    }

    public String getId() { return id; }
    public String getKind() { return kind; }
    public String getMode() { return mode; }
    public long getStartedAt() { return startedAt; }
    public Long getFinishedAt() { return finishedAt; }
    public String getStatus() { return status; }
    public long getCount() { return count; }
    public String getFile() { return file; }
    public List<String> getBulkIds() { return bulkIds; }
    public List<String> getErrorReports() { return errorReports; }
    public long getUploaded() { return uploaded; }
    public long getDuplicates() { return duplicates; }
    /** Ids the portal refused for a reason other than duplicate: handed back to the next run. */
    public long getFailed() { return failed; }
    /** Of the failed ids, those given up (code not retryable or attempts used up): never sent again by themselves. */
    public long getRefused() { return refused; }
    /** Ids sent in bulk uploads the portal has not completed yet: the next run polls those bulks, not resends. */
    public long getPending() { return pending; }
    public List<String> getErrors() { return errors; }

    /** Errors kept in a run's document at most: one per refused id could outgrow a document. */
    static final int MAX_STORED_ERRORS = 100;

    /** Keeps {@code sentence} among the run's errors while fewer than {@link #MAX_STORED_ERRORS} are kept. */
    public void addError(String sentence) {
        if (errors.size() < MAX_STORED_ERRORS) {
            errors.add(sentence);
        }
    }

    public boolean isFull() {
        return "full".equals(mode);
    }

    void setCount(long count) { this.count = count; }
    void setFile(String file) { this.file = file; }
    void addUploaded(long n) { uploaded += n; }
    void addDuplicates(long n) { duplicates += n; }
    void addFailed(long n) { failed += n; }
    void addRefused(long n) { refused += n; }
    synchronized void partFailed(String sentence, long at) {
        partFailures.add(sentence);
        retryAt = Math.max(retryAt, at);
    }
    synchronized List<String> partFailures() { return new ArrayList<>(partFailures); }
    long retryAt() { return retryAt; }
    void setPending(long n) { pending = n; }
    synchronized void end(String status, long at) {
        this.status = status;
        this.finishedAt = at;
    }

    public boolean isRunning() {
        return RUNNING.equals(status);
    }

    public Document toDocument() {
        return new Document("_id", id).append("kind", kind).append("mode", mode).append("startedAt", startedAt)
                .append("finishedAt", finishedAt).append("status", status).append("count", count).append("file", file)
                .append("bulkIds", bulkIds).append("errorReports", errorReports).append("uploaded", uploaded)
                .append("duplicates", duplicates).append("failed", failed).append("refused", refused).append("pending", pending).append("errors", errors);
    }

    /** The JSON view: the stored fields, {@code id} instead of {@code _id}. */
    public static Map<String, Object> view(Document stored) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", stored.get("_id"));
        stored.forEach((k, v) -> {
            if (!"_id".equals(k) && !"releasedBy".equals(k)) {
                view.put(k, v);
            }
        });
        return view;
    }
}
