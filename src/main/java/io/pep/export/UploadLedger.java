package io.pep.export;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import io.pep.observe.ExportMeters;
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
 * A bulk that cannot be settled in a run (its report unreadable, the portal slow) stays pending with
 * its reason and is checked again after a back-off ({@code nextCheckAt}); one older than
 * {@code pep.portal.bulk.give-up-after} is given up and its ids are sent again. Ids the portal
 * reports as duplicates are listed per run in the duplicates collection.
 */
public class UploadLedger {

    /** Records an upload run may claim: not done, not waiting in a bulk, not given up. */
    static final Bson NOT_SETTLED = Filters.and(Filters.exists("uploadedAt", false), Filters.exists("uploadBulk", false),
            Filters.exists("uploadRefused", false));
    /** The record field naming the bulk an id was sent in. */
    static final String BULK = "uploadBulk";
    private static final Logger LOG = LoggerFactory.getLogger(UploadLedger.class);
    private static final String PENDING = "pending";
    private static final String SETTLED = "settled";

    private static final String GIVEN_UP = "given-up";
    /** The longest wait between two checks of a bulk that keeps failing. */
    static final long MAX_RECHECK_MS = 6 * 3_600_000L;

    /**
     * The upload policy: per-id error codes sent again and how often; the first wait before a bulk
     * whose check failed is checked again (doubled after each failure, at most {@link #MAX_RECHECK_MS});
     * how long a bulk may stay unsettled before it is given up and its ids are sent again.
     */
    public record Policy(Set<String> retryCodes, int maxAttemptsPerId, long recheckDelayMs, long giveUpAfterMs) {
    }

    private final ExportRuns runs;
    private final Supplier<MongoCollection<Document>> bulks;
    private final Supplier<MongoCollection<Document>> duplicates;
    private final Supplier<ExportMeters> meters;
    private final Set<String> retryCodes;
    private final int maxAttemptsPerId;
    private final Policy policy;
    private volatile boolean duplicatesIndexReady;

    public UploadLedger(ExportRuns runs, Supplier<MongoCollection<Document>> bulks, Supplier<MongoCollection<Document>> duplicates,
            Supplier<ExportMeters> meters, Policy policy) {
        this.runs = runs;
        this.bulks = bulks;
        this.duplicates = duplicates;
        this.meters = meters;
        this.policy = policy;
        this.retryCodes = policy.retryCodes();
        this.maxAttemptsPerId = policy.maxAttemptsPerId();
    }

    /**
     * Bulk uploads the portal accepted but pep has not settled yet and that are due for a check
     * (never failed, or their back-off is over), oldest first: polled before anything is sent.
     */
    public List<String> pendingBulks() {
        List<String> ids = new ArrayList<>();
        bulks.get().find(Filters.and(Filters.eq("status", PENDING), Filters.or(Filters.exists("nextCheckAt", false),
                        Filters.lte("nextCheckAt", System.currentTimeMillis()))))
                .sort(Sorts.ascending("sentAt")).forEach(bulk -> ids.add(bulk.getString("_id")));
        return ids;
    }

    /**
     * Counts one more send for each id of the part, just before it goes out (an answer may be lost).
     * Not at the claim: a run that stops before a file goes out (a refused key, a portal outage, a
     * crash) must leave its ids' counts as they were, or a long outage would spend their retries and
     * make a foreign duplicate look like pep's own earlier send.
     */
    public void sending(ExportRun run, UploadPart part) {
        mark(run, part, Updates.inc("uploadAttempts", 1));
    }

    /** The portal answered the upload with a bulk id: the part's ids belong to that bulk from now on. */
    public void sent(ExportRun run, UploadPart part, PortalBulk bulk) {
        bulks.get().insertOne(new Document("_id", bulk.id()).append("runId", run.getId()).append("ids", part.ids().size())
                .append("sentAt", System.currentTimeMillis()).append("status", PENDING));
        mark(run, part, Updates.set(BULK, bulk.id()));
        run.getBulkIds().add(bulk.id());
        save(run);
    }

    /**
     * Writes {@code update} to the part's records: by {@code _id} windows, a batch per store update,
     * when the part's records came in {@code _id} order; else by their ids.
     */
    private void mark(ExportRun run, UploadPart part, Bson update) {
        if (part.inIdOrder()) {
            runs.updateWindows(ExportRuns.claimField(ExportRuns.UPLOAD), run.getId(), part.records(), part.skipped(),
                    new Document(), update);
        } else {
            runs.updateByIds(part.records(), update);
        }
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
        Map<String, PortalErrorReport.Entry> byId = PortalErrorReport.byId(entries);
        // read a batch at a time: a bulk may hold a whole file's ids (~100,000 at 10 MB)
        long[] tally = new long[5]; // duplicates, failed, refused, unknown, members
        List<Document> duplicateRows = new ArrayList<>();
        long now = System.currentTimeMillis();
        List<Object> unreported = new ArrayList<>();
        // the _id window of each batch read: what is still in the bulk is then marked done window by window
        List<Object[]> windows = new ArrayList<>();
        runs.walk(BULK, bulk.id(), members -> {
            windows.add(new Object[] {members.get(0).get("_id"), members.get(members.size() - 1).get("_id")});
            for (Document member : members) {
                tally[4]++;
                String id = member.getString("enrollmentID");
                PortalErrorReport.Entry entry = byId.get(PortalErrorReport.key(id));
                int attempts = member.get("uploadAttempts", Number.class) == null ? 1 : member.get("uploadAttempts", Number.class).intValue();
                if (entry == null || entry.isDuplicate()) {
                    if (entry == null && !member.containsKey("uploadedAt")) {
                        unreported.add(member.get("_id"));
                    }
                    if (entry != null) {
                        tally[0]++;
                        duplicateRows.add(duplicateRow(run, bulk, member, entry, attempts, now));
                    }
                    continue;
                }
                tally[1]++;
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
                run.addError(id + ": " + entry.describe() + (retry ? " (sent again by a later run, attempt "
                        + attempts + " of " + maxAttemptsPerId + ")" : " (given up after " + attempts + " attempt(s);"
                        + " listed in GET /v3/exports/failures)"));
            }
        });
        long duplicates = tally[0];
        long failed = tally[1];
        long refused = tally[2];
        long memberCount = tally[4];
        // the portal read fewer ids than it was sent: those not in the report cannot be called created
        boolean countsAddUp = bulk.totalCount() >= memberCount && bulk.processedCount() >= bulk.totalCount();
        long unknown = 0;
        if (!countsAddUp) {
            unknown = runs.updateByIds(unreported, Updates.combine(Updates.unset("uploadBulk"),
                    Updates.unset(ExportRuns.claimField(ExportRuns.UPLOAD))));
        }
        // everything still in the bulk was created or is a duplicate: done, one store update per batch read
        Bson done = Updates.combine(Updates.set("uploadedAt", now), Updates.unset("uploadError"), Updates.unset("uploadErrorCode"));
        long settled = 0;
        for (Object[] window : windows) {
            settled += runs.updateWindow(BULK, bulk.id(), window[0], window[1], List.of(),
                    new Document("uploadedAt", new Document("$exists", false)), done);
        }
        if (unknown > 0) {
            run.addError("bulk upload " + bulk.id() + ": the portal counted " + bulk.totalCount() + " ids of "
                    + memberCount + " sent; " + unknown + " ids not confirmed are sent again by a later run");
        }
        if (bulk.errorsReportFile() != null && !run.getErrorReports().contains(bulk.errorsReportFile())) {
            run.getErrorReports().add(bulk.errorsReportFile());
        }
        recordDuplicates(duplicateRows);
        run.addDuplicates(duplicates);
        run.addUploaded(settled - duplicates);
        run.addFailed(failed);
        run.addRefused(refused);
        count("uploaded", settled - duplicates);
        count("duplicate", duplicates);
        count("refused", failed);
        count("given_up", refused);
        count("unsettled", unknown);
        bulks.get().updateOne(Filters.eq("_id", bulk.id()), Updates.combine(Updates.set("status", SETTLED),
                Updates.set("settledAt", now), Updates.set("settledBy", run.getId())));
        save(run);
        return true;
    }

    /**
     * Whether a failure stays with its file or bulk, so the run goes on with the next: a call that
     * used up its retries, and anything that goes wrong settling a bulk the portal accepted
     * ({@code bulkId} set) — its report, its status answer — except what says the portal refuses
     * pep as a whole (401/403 to a call with the key, a Retry-After beyond the back-off cap) and a
     * store failure: those stop the run.
     */
    public boolean staysWithItsPart(Throwable failure, String bulkId) {
        Throwable cause = Sentences.root(failure);
        if (cause instanceof BulkNotSettled) {
            return true;
        }
        if (cause instanceof PortalCallFailed call) {
            boolean refusesPep = call.getStatus() == 401 || call.getStatus() == 403 || (!call.isRetryable() && call.getRetryAt() > 0);
            return call.isRetryable() || (bulkId != null && !refusesPep);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof com.mongodb.MongoException) {
                return false;
            }
        }
        return bulkId != null && cause instanceof RuntimeException;
    }

    /**
     * One file (or one bulk) failed: when the failure {@linkplain #staysWithItsPart stays with it}
     * the run goes on with the next, so neither a storm nor one bad bulk costs every other file its
     * turn; any other failure is thrown again and stops the run. Unsent ids wait for the next run; a bulk the portal
     * accepted ({@code bulkId}) stays pending with the reason and is checked again after a back-off,
     * or is given up once older than {@code pep.portal.bulk.give-up-after} (its ids are sent again).
     */
    public void partFailed(ExportRun run, String bulkId, Throwable failure, String action) {
        if (!staysWithItsPart(failure, bulkId)) {
            // the portal refuses pep as a whole, or the store failed: the run stops with this failure
            throw failure instanceof RuntimeException unchecked ? unchecked : new org.apache.camel.RuntimeCamelException(failure);
        }
        Throwable cause = Sentences.root(failure);
        String sentence = Sentences.of(failure, action);
        if (bulkId != null) {
            sentence += checkFailed(run, bulkId, sentence);
        }
        LOG.warn("Export run {}: {}", run.getId(), sentence);
        run.partFailed(sentence, cause instanceof PortalCallFailed refusal ? refusal.getRetryAt() : 0);
    }

    /** Keeps the reason on the pending bulk and when to check it next; gives it up when it is too old. What happens next, for the sentence. */
    private String checkFailed(ExportRun run, String bulkId, String reason) {
        Document bulk = bulks.get().find(Filters.eq("_id", bulkId)).first();
        if (bulk == null || !PENDING.equals(bulk.getString("status"))) {
            return "";
        }
        long now = System.currentTimeMillis();
        Number sentAt = bulk.get("sentAt", Number.class);
        if (sentAt != null && now - sentAt.longValue() >= policy.giveUpAfterMs()) {
            return giveUp(run, bulkId, reason, now);
        }
        Number before = bulk.get("checkFailures", Number.class);
        int failures = (before == null ? 0 : before.intValue()) + 1;
        long wait = Math.min(MAX_RECHECK_MS, policy.recheckDelayMs() << Math.min(failures - 1, 30));
        bulks.get().updateOne(Filters.and(Filters.eq("_id", bulkId), Filters.eq("status", PENDING)), Updates.combine(
                Updates.set("checkError", reason), Updates.set("checkFailures", failures), Updates.set("lastCheckAt", now),
                Updates.set("nextCheckAt", now + wait)));
        return "; bulk upload " + bulkId + " stays pending (its ids are not sent again) and is checked again by a run from "
                + PortalAnswers.CLOCK.format(java.time.Instant.ofEpochMilli(now + wait)) + " on (failed check " + failures + ")";
    }

    /**
     * A bulk pep could not settle within {@code pep.portal.bulk.give-up-after}: given up, its ids
     * not reported done are handed back and sent again by a later run (the portal answers those it
     * holds with duplicate), each listed in {@code GET /v3/exports/failures} with the reason until
     * it is uploaded.
     */
    private String giveUp(ExportRun run, String bulkId, String reason, long now) {
        String why = "bulk upload " + bulkId + " was not settled within " + duration(policy.giveUpAfterMs())
                + " (pep.portal.bulk.give-up-after); last reason: " + reason + ". Its ids are sent again in a new bulk (the"
                + " portal answers those it holds with duplicate); if this repeats, check the bulk in the portal and the host"
                + " of its errors_report_file";
        long released = runs.records().updateMany(Filters.and(Filters.eq("uploadBulk", bulkId), Filters.exists("uploadedAt", false)),
                Updates.combine(Updates.unset("uploadBulk"), Updates.unset(ExportRuns.claimField(ExportRuns.UPLOAD)),
                        Updates.set("uploadError", why), Updates.set("uploadErrorCode", "unsettled"),
                        Updates.set("uploadErrorAt", now))).getModifiedCount();
        bulks.get().updateOne(Filters.eq("_id", bulkId), Updates.combine(Updates.set("status", GIVEN_UP),
                Updates.set("checkError", reason), Updates.set("givenUpAt", now), Updates.set("settledBy", run.getId())));
        count("unsettled", released);
        return "; " + why.substring(0, 1).toLowerCase(Locale.ROOT) + why.substring(1) + " (" + released + " ids)";
    }

    private static String duration(long ms) {
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private void count(String outcome, long n) {
        ExportMeters counters = meters.get();
        if (counters != null) {
            counters.count(ExportRuns.UPLOAD, outcome, n);
        }
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
            run.addError(other);
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
        count("unsettled", released);
        String why = "the portal does not know bulk upload " + bulkId + " (404); its " + released + " ids are sent again by a later run";
        LOG.warn(why);
        run.addError(why);
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

    /**
     * A duplicate as the portal reported it. The portal's report says only that the id is claimed
     * already ({@code 409 duplicate}), not by whom: {@code sentBefore} says whether pep itself sent it
     * in an earlier bulk (its answer lost, or a bulk lost or given up) — if not, another upload (an
     * earlier tool, someone in the portal, another account) claimed it, which an operator may want
     * to check against the account's enrollments.
     */
    private static Document duplicateRow(ExportRun run, PortalBulk bulk, Document member, PortalErrorReport.Entry entry,
            int attempts, long now) {
        return new Document("runId", run.getId()).append("bulkId", bulk.id()).append("enrollmentID", member.getString("enrollmentID"))
                .append("serialNumber", member.getString("serialNumber")).append("attempts", attempts)
                .append("sentBefore", attempts > 1).append("portalMessage", entry.describe()).append("at", now);
    }

    private void recordDuplicates(List<Document> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ensureDuplicatesIndex();
        for (int from = 0; from < rows.size(); from += 1000) {
            duplicates.get().insertMany(rows.subList(from, Math.min(rows.size(), from + 1000)));
        }
    }

    /** Duplicates are read by run: an index on {@code runId} (its exact key, which the embedded store needs). */
    private void ensureDuplicatesIndex() {
        if (!duplicatesIndexReady) {
            duplicates.get().createIndex(new Document("runId", 1));
            duplicatesIndexReady = true;
        }
    }

    /**
     * The ids the portal reported as duplicates in upload run {@code runId} — by default the latest
     * upload run that had any — for {@code GET /v3/exports/duplicates} (rows for JSON or camel-csv).
     */
    public List<Map<String, Object>> duplicates(String runId, int limit) {
        String run = runId;
        if (run == null) {
            Document latest = runs.runs().find(Filters.and(Filters.eq("kind", ExportRuns.UPLOAD), Filters.gt("duplicates", 0)))
                    .sort(Sorts.descending("startedAt")).projection(Projections.include("_id")).first();
            run = latest == null ? null : latest.getString("_id");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (run == null) {
            return rows;
        }
        ensureDuplicatesIndex();
        duplicates.get().find(Filters.eq("runId", run)).limit(limit).forEach(duplicate -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String field : DUPLICATE_COLUMNS) {
                row.put(field, duplicate.get(field));
            }
            rows.add(row);
        });
        return rows;
    }

    /**
     * Bulk uploads that need an operator's eye, for the dashboard: counts of pending, failing
     * (pending, last check failed) and given-up ones (the last 7 days), and up to 10 of them, oldest
     * first, each with its reason and what happens next / what to do.
     */
    public Map<String, Object> unsettledBulks() {
        long now = System.currentTimeMillis();
        long since = now - 7 * 86_400_000L;
        MongoCollection<Document> all = bulks.get();
        Bson failing = Filters.and(Filters.eq("status", PENDING), Filters.gt("checkFailures", 0));
        Bson givenUp = Filters.and(Filters.eq("status", GIVEN_UP), Filters.gte("givenUpAt", since));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pending", all.countDocuments(Filters.eq("status", PENDING)));
        answer.put("failing", all.countDocuments(failing));
        answer.put("givenUp", all.countDocuments(givenUp));
        List<Map<String, Object>> list = new ArrayList<>();
        all.find(Filters.or(failing, givenUp)).sort(Sorts.ascending("sentAt")).limit(10).forEach(bulk -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", bulk.getString("_id"));
            row.put("status", bulk.getString("status"));
            row.put("ids", bulk.get("ids"));
            row.put("sentAt", bulk.get("sentAt"));
            row.put("checkFailures", bulk.get("checkFailures"));
            row.put("reason", bulk.getString("checkError"));
            boolean gaveUp = GIVEN_UP.equals(bulk.getString("status"));
            row.put(gaveUp ? "givenUpAt" : "nextCheckAt", bulk.get(gaveUp ? "givenUpAt" : "nextCheckAt"));
            row.put("todo", gaveUp
                    ? "its ids were sent again (listed in GET /v3/exports/failures until uploaded); check the bulk in the portal"
                            + " and the host of its errors_report_file"
                    : "checked again by the next run after nextCheckAt, its ids are not sent again; if the reason persists, check"
                            + " the report link's host; given up (ids sent again) after " + duration(policy.giveUpAfterMs())
                            + " (pep.portal.bulk.give-up-after)");
            list.add(row);
        });
        answer.put("bulks", list);
        return answer;
    }

    /** The columns of {@code GET /v3/exports/duplicates}, in order (also its CSV header line). */
    static final List<String> DUPLICATE_COLUMNS = List.of("enrollmentID", "serialNumber", "runId", "bulkId", "attempts",
            "sentBefore", "portalMessage", "at");

    private void save(ExportRun run) {
        runs.runs().updateOne(Filters.eq("_id", run.getId()), new Document("$set", run.toDocument()));
    }

}
