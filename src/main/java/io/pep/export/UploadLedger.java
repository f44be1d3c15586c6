package io.pep.export;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-id progress of portal uploads, kept on the records so that no run repeats what an earlier
 * one achieved:
 * <ul>
 * <li>{@code uploadAttempts}: how often the id was sent;</li>
 * <li>{@code uploadBulk}: the portal's bulk id once the portal answered the upload — from then on
 * the id belongs to that bulk: later runs poll the bulk (listed in {@code export_bulks}), they do
 * not send the id again;</li>
 * <li>{@code uploadedAt}: the portal reported the id created or duplicate (409): done;</li>
 * <li>{@code uploadError} / {@code uploadErrorCode}: the portal's last per-id refusal; the id is
 * sent again while its code is in {@code pep.portal.retry.codes} and it has been sent fewer than
 * {@code pep.portal.retry.max-attempts-per-id} times, else {@code uploadRefused} is set and it
 * stays in {@code GET /v3/exports/failures} for an operator.</li>
 * </ul>
 */
public class UploadLedger {

    /** Records an upload run may claim: not done, not waiting in a bulk, not given up. */
    static final Bson NOT_SETTLED = Filters.and(Filters.exists("uploadedAt", false), Filters.exists("uploadBulk", false),
            Filters.exists("uploadRefused", false));
    /** The record field naming the bulk an id was sent in. */
    static final String BULK = "uploadBulk";
    private static final Logger LOG = LoggerFactory.getLogger(UploadLedger.class);
    private static final int MAX_STORED_ERRORS = 100;
    private static final String PENDING = "pending";
    private static final String SETTLED = "settled";

    private final ExportRuns runs;
    private final Supplier<MongoCollection<Document>> bulks;
    private final Set<String> retryCodes;
    private final int maxAttemptsPerId;

    public UploadLedger(ExportRuns runs, Supplier<MongoCollection<Document>> bulks, Set<String> retryCodes, int maxAttemptsPerId) {
        this.runs = runs;
        this.bulks = bulks;
        this.retryCodes = retryCodes;
        this.maxAttemptsPerId = maxAttemptsPerId;
    }

    /** Bulk uploads the portal accepted but pep has not settled yet, oldest first: polled before anything is sent. */
    public List<String> pendingBulks() {
        List<String> ids = new ArrayList<>();
        bulks.get().find(Filters.eq("status", PENDING)).sort(Sorts.ascending("sentAt"))
                .forEach(bulk -> ids.add(bulk.getString("_id")));
        return ids;
    }

    /** Counts one more send for each id of the part, before it goes out (an answer may be lost). */
    public void sending(ExportRun run, UploadPart part) {
        runs.updateByIds(part.records(), Updates.inc("uploadAttempts", 1));
    }

    /** The portal answered the upload with a bulk id: the part's ids belong to that bulk from now on. */
    public void sent(ExportRun run, UploadPart part, PortalBulk bulk) {
        bulks.get().insertOne(new Document("_id", bulk.id()).append("runId", run.getId()).append("ids", part.ids().size())
                .append("sentAt", System.currentTimeMillis()).append("status", PENDING));
        runs.updateByIds(part.records(), Updates.set("uploadBulk", bulk.id()));
        run.getBulkIds().add(bulk.id());
        save(run);
    }

    /**
     * Settles a bulk the portal completed, from its error report: ids reported duplicate or not
     * reported at all (when the report accounts for every error the portal counted) are done; the
     * others are retried or given up by policy. Returns false — nothing changed — when the report is
     * not complete yet (it names fewer errors than the bulk counted): it is fetched again, the ids
     * are not sent again.
     */
    public boolean settle(ExportRun run, PortalBulk bulk, List<Map<String, String>> errorReport) {
        List<PortalErrorReport.Entry> entries = PortalErrorReport.entries(errorReport);
        if (entries.size() < bulk.errorsCount()) {
            LOG.info("The error report of bulk upload {} lists {} of its {} errors; fetched again", bulk.id(),
                    entries.size(), bulk.errorsCount());
            return false;
        }
        Map<String, PortalErrorReport.Entry> byId = new HashMap<>();
        entries.forEach(entry -> byId.put(normal(entry.id()), entry));
        // read a batch at a time: a bulk may hold a whole file's ids (~100,000 at 10 MB)
        long[] tally = new long[5]; // duplicates, failed, refused, unknown, members
        long now = System.currentTimeMillis();
        List<Object> done = new ArrayList<>();
        List<Object> unreported = new ArrayList<>();
        runs.walk(BULK, bulk.id(), members -> {
            for (Document member : members) {
                tally[4]++;
                String id = member.getString("enrollmentID");
                PortalErrorReport.Entry entry = byId.get(normal(id));
                if (entry == null || entry.isDuplicate()) {
                    if (!member.containsKey("uploadedAt")) {
                        (entry == null ? unreported : done).add(member.get("_id"));
                    }
                    tally[0] += entry == null ? 0 : 1;
                    continue;
                }
                tally[1]++;
                int attempts = member.get("uploadAttempts", Number.class) == null ? 1 : member.get("uploadAttempts", Number.class).intValue();
                boolean retry = retryCodes.contains(entry.code().trim()) && attempts < maxAttemptsPerId;
                List<Bson> updates = new ArrayList<>(List.of(Updates.unset("uploadBulk"), Updates.set("uploadError", entry.describe()),
                        Updates.set("uploadErrorCode", entry.code()), Updates.set("uploadErrorAt", now)));
                if (retry) {
                    updates.add(Updates.unset(ExportRuns.claimField(ExportRuns.UPLOAD)));
                } else {
                    tally[2]++;
                    updates.add(Updates.set("uploadRefused", true));
                }
                runs.records().updateOne(Filters.eq("_id", member.get("_id")), Updates.combine(updates));
                if (run.getErrors().size() < MAX_STORED_ERRORS) {
                    run.getErrors().add(id + ": " + entry.describe() + (retry ? " (sent again by a later run, attempt "
                            + attempts + " of " + maxAttemptsPerId + ")" : " (given up after " + attempts + " attempt(s);"
                            + " listed in GET /v3/exports/failures)"));
                }
            }
        });
        long duplicates = tally[0];
        long failed = tally[1];
        long refused = tally[2];
        long memberCount = tally[4];
        // the portal read fewer ids than it was sent: those not in the report cannot be called created
        boolean countsAddUp = bulk.totalCount() >= memberCount && bulk.processedCount() >= bulk.totalCount();
        long unknown = 0;
        if (countsAddUp) {
            done.addAll(unreported);
        } else {
            unknown = runs.updateByIds(unreported, Updates.combine(Updates.unset("uploadBulk"),
                    Updates.unset(ExportRuns.claimField(ExportRuns.UPLOAD))));
        }
        // everything still in the bulk was created or is a duplicate: done (by _id, a batch per update)
        long settled = runs.updateByIds(done, Updates.combine(Updates.set("uploadedAt", now), Updates.unset("uploadError"),
                Updates.unset("uploadErrorCode")));
        if (unknown > 0 && run.getErrors().size() < MAX_STORED_ERRORS) {
            run.getErrors().add("bulk upload " + bulk.id() + ": the portal counted " + bulk.totalCount() + " ids of "
                    + memberCount + " sent; " + unknown + " ids not confirmed are sent again by a later run");
        }
        if (bulk.errorsReportFile() != null && !run.getErrorReports().contains(bulk.errorsReportFile())) {
            run.getErrorReports().add(bulk.errorsReportFile());
        }
        run.addDuplicates(duplicates);
        run.addUploaded(settled - duplicates);
        run.addFailed(failed);
        run.addRefused(refused);
        bulks.get().updateOne(Filters.eq("_id", bulk.id()), Updates.combine(Updates.set("status", SETTLED),
                Updates.set("settledAt", now), Updates.set("settledBy", run.getId())));
        save(run);
        return true;
    }

    /**
     * One file (or one pending bulk) failed after its retries: the run goes on with the next, so a
     * storm does not cost every other file its turn. Its ids wait (unsent) or stay with their bulk.
     */
    public void partFailed(ExportRun run, Throwable failure, String action) {
        Throwable cause = Sentences.root(failure);
        String sentence = Sentences.of(failure, action);
        LOG.warn("Export run {}: {}", run.getId(), sentence);
        run.partFailed(sentence, cause instanceof PortalCallFailed refusal ? refusal.getRetryAt() : 0);
    }

    /** Ends an upload run: finished when every file went through, else failed with the first failure's sentence. */
    public ExportRun end(ExportRun run) {
        List<String> failures = run.partFailures();
        if (failures.isEmpty()) {
            return runs.finish(run);
        }
        String sentence = failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failed file(s))" : "");
        try {
            sentence += waiting(run, run.retryAt());
        } catch (RuntimeException e) {
            // the store is the problem: the sentence says what we know
        }
        for (String other : failures.subList(1, failures.size())) {
            if (run.getErrors().size() < MAX_STORED_ERRORS) {
                run.getErrors().add(other);
            }
        }
        return runs.fail(run, sentence);
    }

    /** The portal answered 404 for a bulk pep sent: its ids are handed back and sent again by a later run. */
    public void bulkLost(ExportRun run, String bulkId) {
        List<Object> waiting = new ArrayList<>();
        runs.walk(BULK, bulkId, members -> members.stream().filter(member -> !member.containsKey("uploadedAt"))
                .forEach(member -> waiting.add(member.get("_id"))));
        long released = runs.updateByIds(waiting, Updates.combine(Updates.unset("uploadBulk"),
                Updates.unset(ExportRuns.claimField(ExportRuns.UPLOAD))));
        bulks.get().updateOne(Filters.eq("_id", bulkId), Updates.combine(Updates.set("status", "lost"),
                Updates.set("settledAt", System.currentTimeMillis()), Updates.set("settledBy", run.getId())));
        String why = "the portal does not know bulk upload " + bulkId + " (404); its " + released + " ids are sent again by a later run";
        LOG.warn(why);
        if (run.getErrors().size() < MAX_STORED_ERRORS) {
            run.getErrors().add(why);
        }
        save(run);
    }

    /** Ids of this run not sent yet, and ids waiting in bulks the portal has not completed: for the run's sentence. */
    public String waiting(ExportRun run, long retryAt) {
        long unsent = runs.records().countDocuments(Filters.and(Filters.eq(ExportRuns.claimField(ExportRuns.UPLOAD), run.getId()),
                NOT_SETTLED));
        long inBulks = runs.records().countDocuments(Filters.and(Filters.exists("uploadBulk"), Filters.exists("uploadedAt", false)));
        run.setPending(inBulks);
        String when = retryAt > System.currentTimeMillis()
                ? "the next try at " + PortalAnswers.CLOCK.format(java.time.Instant.ofEpochMilli(retryAt)) + " or later"
                : "the next run";
        StringBuilder text = new StringBuilder();
        text.append("; ").append(unsent).append(" ids wait for ").append(when);
        if (inBulks > 0) {
            text.append(", ").append(inBulks).append(" ids already with the portal are checked, not sent again");
        }
        return text.toString();
    }

    /**
     * Fails an upload run with a sentence: what the portal answered to what, how many ids wait and
     * until when. The progress made stays: sent ids stay with their bulks, done ids are done.
     */
    public ExportRun fail(ExportRun run, Throwable failure, String action) {
        Throwable cause = Sentences.root(failure);
        long retryAt = cause instanceof PortalCallFailed refusal ? refusal.getRetryAt() : 0;
        String sentence = Sentences.of(failure, action);
        try {
            sentence += waiting(run, retryAt);
        } catch (RuntimeException e) {
            // the store is the problem: the sentence says what we know
        }
        return runs.fail(run, sentence);
    }

    /** Ids the portal refused and that are not done: for an operator (rows for JSON or camel-csv, newest first). */
    public List<Map<String, Object>> failures(int limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        runs.records().find(Filters.and(Filters.exists("uploadError"), Filters.exists("uploadedAt", false)))
                .sort(Sorts.descending("uploadErrorAt")).limit(limit).forEach(record -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("enrollmentID", record.getString("enrollmentID"));
                    row.put("serialNumber", record.getString("serialNumber"));
                    row.put("code", record.getString("uploadErrorCode"));
                    row.put("error", record.getString("uploadError"));
                    row.put("attempts", record.get("uploadAttempts"));
                    row.put("status", Boolean.TRUE.equals(record.getBoolean("uploadRefused")) ? "given up" : "retried");
                    row.put("at", record.get("uploadErrorAt"));
                    rows.add(row);
                });
        return rows;
    }

    private void save(ExportRun run) {
        runs.runs().updateOne(Filters.eq("_id", run.getId()), new Document("$set", run.toDocument()));
    }

    private static String normal(String id) {
        return id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    }
}
