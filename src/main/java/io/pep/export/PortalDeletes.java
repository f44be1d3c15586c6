package io.pep.export;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.pep.observe.ExportMeters;
import io.pep.provisioning.Retirements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removing retired identities from the portal (rework): an identity retired after it was uploaded
 * is still enrolled there, so upload runs send it in a bulk delete (SPEC §5,
 * {@code POST /v3/device-enrollments-bulk-deletes}). Progress per identity is kept on its history
 * entry (the history collection, {@code pep.identities.history-collection}), as uploads keep theirs
 * on the records:
 * <ul>
 * <li>{@code portalDelete}: absent until a run looked at the entry; {@code not-uploaded} (never sent
 * to the portal: nothing to delete), {@code pending} (to send), {@code sent} (in the bulk delete
 * {@code deleteBulk}: later runs poll that bulk, they do not send the id again), {@code deleted},
 * {@code not-found} (the portal did not hold it: done), {@code failed} (the portal refused it:
 * {@code deleteError}, sent again from {@code nextDeleteAt}, the wait doubled after each failure);</li>
 * <li>{@code deleteAttempts}: counted up before each send (the answer may be lost).</li>
 * </ul>
 * An entry is queued only once no upload of it is in flight (its bulk upload settled, the upload run
 * that may have sent it over), so a delete never overtakes the upload it undoes. Sending a delete
 * again (a lost answer, a crash before the bulk id was written, a bulk lost or given up) is harmless:
 * the portal reports the id not found and it counts as done. Runs under the upload run's lease.
 */
public class PortalDeletes {

    public static final String STATE = "portalDelete";
    static final String NOT_UPLOADED = "not-uploaded";
    static final String PENDING = "pending";
    static final String SENT = "sent";
    static final String DELETED = "deleted";
    static final String NOT_FOUND = "not-found";
    static final String FAILED = "failed";
    static final String BULK = "deleteBulk";
    static final String RUN = "deleteRun";
    static final String ATTEMPTS = "deleteAttempts";
    static final String NEXT = "nextDeleteAt";
    private static final Logger LOG = LoggerFactory.getLogger(PortalDeletes.class);

    /**
     * @param retryDelayMs the first wait before an id the portal refused to delete is sent again
     *        (doubled after each failure, at most {@link UploadLedger#MAX_RECHECK_MS})
     * @param recheckDelayMs the first wait before a bulk delete whose check failed is checked again
     * @param giveUpAfterMs a bulk delete unsettled this long after it was sent is given up: its ids are sent again
     */
    public record Policy(long retryDelayMs, long recheckDelayMs, long giveUpAfterMs) {
    }

    /** What one run did, for its one log line. */
    private static final class Tally {
        long queued;
        long sent;
        long bulks;
        long deleted;
        long notFound;
        long failed;
        long waiting;
    }

    private final Supplier<MongoClient> client;
    private final String database;
    private final String historyCollection;
    private final String uploadBulksCollection;
    private final String runsCollection;
    private final UploadLedger uploads;
    private final Supplier<ExportMeters> meters;
    private final Policy policy;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    public PortalDeletes(Supplier<MongoClient> client, String database, String historyCollection, String uploadBulksCollection,
            String runsCollection, UploadLedger uploads, Supplier<ExportMeters> meters, Policy policy) {
        this.client = client;
        this.database = database;
        this.historyCollection = historyCollection;
        this.uploadBulksCollection = uploadBulksCollection;
        this.runsCollection = runsCollection;
        this.uploads = uploads;
        this.meters = meters;
        this.policy = policy;
    }

    /**
     * Looks at the retirements no run has looked at yet: one that may be enrolled at the portal
     * (uploaded, sent, or taken by an upload run that was under way when it was retired) is queued
     * ({@code pending}); one never sent is marked {@code not-uploaded} and never sent a delete. One
     * whose upload is still in flight (its bulk upload pending, the run that may have sent it still
     * going) is left for a later run. Half-done retirements wait until they are finished.
     */
    public void queue(ExportRun run) {
        Tally tally = tally(run);
        Object last = null;
        while (true) {
            Bson unseen = Filters.and(Filters.exists(STATE, false), Filters.ne(Retirements.PENDING, true));
            List<Document> batch = history().find(last == null ? unseen : Filters.and(unseen, Filters.gt("_id", last)))
                    .sort(Sorts.ascending("_id")).limit(1000).into(new ArrayList<>());
            for (Document entry : batch) {
                String decision = decide(entry, run);
                if (decision == null) {
                    tally.waiting++;
                    continue;
                }
                history().updateOne(Filters.and(Filters.eq("_id", entry.get("_id")), Filters.exists(STATE, false)),
                        Updates.combine(Updates.set(STATE, decision), Updates.set("deleteQueuedAt", System.currentTimeMillis())));
                if (PENDING.equals(decision)) {
                    tally.queued++;
                }
            }
            if (batch.size() < 1000) {
                return;
            }
            last = batch.get(batch.size() - 1).get("_id");
        }
    }

    /** {@code pending}, {@code not-uploaded}, or null: its upload is still in flight, decided by a later run. */
    private String decide(Document entry, ExportRun run) {
        if (entry.containsKey("uploadedAt")) {
            return PENDING;
        }
        String bulk = entry.getString(UploadLedger.BULK);
        String uploadRun = entry.getString(ExportRuns.claimField(ExportRuns.UPLOAD));
        Document claimedBy = uploadRun == null ? null : db().getCollection(runsCollection).find(Filters.eq("_id", uploadRun)).first();
        Number retiredAt = entry.get(Retirements.RETIRED_AT, Number.class);
        // retired while the run that claimed it was under way: that run may have read it into a file already
        boolean inFlightRun = claimedBy != null && retiredAt != null && claimedBy.get("startedAt", Number.class) != null
                && claimedBy.get("startedAt", Number.class).longValue() <= retiredAt.longValue()
                && (claimedBy.get("finishedAt") == null || claimedBy.get("finishedAt", Number.class).longValue() >= retiredAt.longValue());
        Number attempts = entry.get("uploadAttempts", Number.class);
        if (bulk == null && (attempts == null || attempts.intValue() == 0) && !inFlightRun) {
            return NOT_UPLOADED;
        }
        MongoCollection<Document> uploadBulks = db().getCollection(uploadBulksCollection);
        if (bulk != null && uploadBulks.countDocuments(Filters.and(Filters.eq("_id", bulk), Filters.eq("status", "pending"))) > 0) {
            return null;
        }
        if (bulk == null && claimedBy != null) {
            boolean runGoesOn = ExportRun.RUNNING.equals(claimedBy.getString("status")) && !uploadRun.equals(run.getId());
            if (runGoesOn || uploadBulks.countDocuments(Filters.and(Filters.eq("runId", uploadRun), Filters.eq("status", "pending"))) > 0) {
                return null;
            }
        }
        return PENDING;
    }

    /** Bulk deletes the portal accepted that are not settled and due for a check, oldest first. */
    public List<String> pendingBulks() {
        long now = System.currentTimeMillis();
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        history().find(Filters.and(Filters.eq(STATE, SENT), Filters.or(Filters.exists("deleteNextCheckAt", false),
                Filters.lte("deleteNextCheckAt", now)))).sort(Sorts.ascending("deleteSentAt"))
                .forEach(entry -> ids.add(entry.getString(BULK)));
        ids.remove(null);
        return new ArrayList<>(ids);
    }

    /** Takes the deletions due (queued, or refused earlier and their wait over) for this run; whether there were any. */
    public boolean claim(ExportRun run) {
        Bson due = Filters.or(Filters.eq(STATE, PENDING), Filters.and(Filters.eq(STATE, FAILED),
                Filters.lte(NEXT, System.currentTimeMillis())));
        return history().updateMany(due, Updates.set(RUN, run.getId())).getModifiedCount() > 0;
    }

    /** The entries this run claimed, for {@link PortalUploads#parts}: files of at most {@code pep.portal.max-file-bytes}. */
    public Iterable<Document> claimed(ExportRun run) {
        // by the claim alone: sending changes the state of what was read, not the claim
        return history().find(Filters.eq(RUN, run.getId())).sort(Sorts.ascending("_id")).batchSize(1000);
    }

    /** Counts one more send for each id of the part, before it goes out (an answer may be lost). */
    public void sending(ExportRun run, UploadPart part) {
        history().updateMany(Filters.in("_id", part.records()), Updates.inc(ATTEMPTS, 1));
    }

    /** The portal answered the bulk delete with a bulk id: the part's ids belong to it until it is settled. */
    public void sent(ExportRun run, UploadPart part, PortalBulk bulk) {
        history().updateMany(Filters.in("_id", part.records()), Updates.combine(Updates.set(STATE, SENT), Updates.set(BULK, bulk.id()),
                Updates.set("deleteSentAt", System.currentTimeMillis()), Updates.unset("deleteNextCheckAt"),
                Updates.unset("deleteCheckFailures")));
        Tally tally = tally(run);
        tally.sent += part.ids().size();
        tally.bulks++;
        count("sent", part.ids().size());
    }

    /**
     * Settles a bulk delete the portal completed, from its error report: an id not in the report was
     * deleted; one reported not found ({@code 404} / {@code not_found}) was not enrolled (any more):
     * done; any other error is kept ({@code failed}, with its reason) and sent again after a back-off.
     * False — nothing changed — while the report names fewer errors than the bulk counted.
     */
    public boolean settle(ExportRun run, PortalBulk bulk, List<Map<String, String>> errorReport) {
        List<PortalErrorReport.Entry> entries = PortalErrorReport.entries(errorReport);
        if (entries.size() < bulk.errorsCount()) {
            LOG.info("The error report of bulk delete {} lists {} of its {} errors; fetched again", bulk.id(), entries.size(),
                    bulk.errorsCount());
            return false;
        }
        Map<String, PortalErrorReport.Entry> byId = PortalErrorReport.byId(entries);
        List<Object> deleted = new ArrayList<>();
        List<Object> notFound = new ArrayList<>();
        List<Document> failed = new ArrayList<>();
        List<Document> members = history().find(Filters.and(Filters.eq(BULK, bulk.id()), Filters.eq(STATE, SENT)))
                .into(new ArrayList<>());
        for (Document member : members) {
            PortalErrorReport.Entry entry = byId.get(PortalErrorReport.key(member.getString("enrollmentID")));
            if (entry == null) {
                deleted.add(member.get("_id"));
            } else if (isNotFound(entry)) {
                notFound.add(member.get("_id"));
            } else {
                failed.add(member.append("deleteError", entry.describe()).append("deleteErrorCode", entry.code()));
            }
        }
        long now = System.currentTimeMillis();
        Tally tally = tally(run);
        // the portal read fewer ids than it was sent: those it does not report cannot be called deleted
        if (bulk.totalCount() < members.size() || bulk.processedCount() < bulk.totalCount()) {
            history().updateMany(Filters.in("_id", deleted), Updates.combine(Updates.set(STATE, PENDING), Updates.unset(BULK)));
            run.addError("bulk delete " + bulk.id() + ": the portal counted " + bulk.totalCount() + " ids of " + members.size()
                    + " sent; " + deleted.size() + " ids not confirmed are sent again by a later run");
            deleted.clear();
        }
        history().updateMany(Filters.in("_id", deleted), Updates.combine(Updates.set(STATE, DELETED), Updates.set("deletedAt", now),
                Updates.set("deleteSettledBy", run.getId()), Updates.unset("deleteError"), Updates.unset("deleteErrorCode")));
        history().updateMany(Filters.in("_id", notFound), Updates.combine(Updates.set(STATE, NOT_FOUND), Updates.set("deletedAt", now),
                Updates.set("deleteSettledBy", run.getId()), Updates.set("deleteNote", "the portal did not hold it (not found):"
                        + " it was never enrolled there, or an earlier delete removed it")));
        for (Document member : failed) {
            Number before = member.get("deleteFailures", Number.class);
            int failures = (before == null ? 0 : before.intValue()) + 1;
            long next = now + Math.min(UploadLedger.MAX_RECHECK_MS, policy.retryDelayMs() << Math.min(failures - 1, 30));
            history().updateOne(Filters.eq("_id", member.get("_id")), Updates.combine(Updates.set(STATE, FAILED), Updates.unset(BULK),
                    Updates.set("deleteError", member.getString("deleteError")), Updates.set("deleteErrorCode", member.getString("deleteErrorCode")),
                    Updates.set("deleteErrorAt", now), Updates.set("deleteFailures", failures), Updates.set(NEXT, next)));
            run.addError(member.getString("enrollmentID") + ": the portal did not delete it: " + member.getString("deleteError")
                    + " (sent again by a run from " + PortalAnswers.CLOCK.format(Instant.ofEpochMilli(next)) + " on, failure "
                    + failures + "; listed in GET /v3/exports/failures)");
        }
        tally.deleted += deleted.size();
        tally.notFound += notFound.size();
        tally.failed += failed.size();
        count("deleted", deleted.size());
        count("not_found", notFound.size());
        count("failed", failed.size());
        if (bulk.errorsReportFile() != null && !run.getErrorReports().contains(bulk.errorsReportFile())) {
            run.getErrorReports().add(bulk.errorsReportFile());
        }
        return true;
    }

    /** The portal answered 404 for a bulk delete pep sent: its ids are sent again by a later run. */
    public void bulkLost(ExportRun run, String bulkId) {
        long released = history().updateMany(Filters.and(Filters.eq(BULK, bulkId), Filters.eq(STATE, SENT)),
                Updates.combine(Updates.set(STATE, PENDING), Updates.unset(BULK))).getModifiedCount();
        String why = "the portal does not know bulk delete " + bulkId + " (404); its " + released + " ids are sent again by a later run";
        LOG.warn(why);
        run.addError(why);
    }

    /**
     * One bulk delete failed: as for uploads ({@link UploadLedger#staysWithItsPart}) a failure that
     * stays with its file or bulk lets the run go on, anything else stops it. Unsent ids stay due for
     * the next run; a bulk the portal accepted ({@code bulkId}) stays with its ids and is checked again
     * after a back-off, or, once older than {@code pep.portal.bulk.give-up-after}, its ids are sent again.
     */
    public void partFailed(ExportRun run, String bulkId, Throwable failure, String action) {
        if (!uploads.staysWithItsPart(failure, bulkId)) {
            throw failure instanceof RuntimeException unchecked ? unchecked : new org.apache.camel.RuntimeCamelException(failure);
        }
        String sentence = Sentences.of(failure, action);
        if (bulkId != null) {
            sentence += checkFailed(bulkId, sentence);
        } else {
            sentence += "; its ids are sent again by the next run";
        }
        LOG.warn("Export run {}: {}", run.getId(), sentence);
        Throwable cause = Sentences.root(failure);
        run.partFailed(sentence, cause instanceof PortalCallFailed refusal ? refusal.getRetryAt() : 0);
    }

    private String checkFailed(String bulkId, String reason) {
        Document first = history().find(Filters.and(Filters.eq(BULK, bulkId), Filters.eq(STATE, SENT))).first();
        if (first == null) {
            return "";
        }
        long now = System.currentTimeMillis();
        Number sentAt = first.get("deleteSentAt", Number.class);
        Bson members = Filters.and(Filters.eq(BULK, bulkId), Filters.eq(STATE, SENT));
        if (sentAt != null && now - sentAt.longValue() >= policy.giveUpAfterMs()) {
            long released = history().updateMany(members, Updates.combine(Updates.set(STATE, PENDING), Updates.unset(BULK)))
                    .getModifiedCount();
            return "; bulk delete " + bulkId + " was not settled within pep.portal.bulk.give-up-after: its " + released
                    + " ids are sent again (a repeated delete is harmless: the portal reports them not found)";
        }
        Number before = first.get("deleteCheckFailures", Number.class);
        int failures = (before == null ? 0 : before.intValue()) + 1;
        long wait = Math.min(UploadLedger.MAX_RECHECK_MS, policy.recheckDelayMs() << Math.min(failures - 1, 30));
        history().updateMany(members, Updates.combine(Updates.set("deleteCheckError", reason),
                Updates.set("deleteCheckFailures", failures), Updates.set("deleteNextCheckAt", now + wait)));
        return "; bulk delete " + bulkId + " stays pending (its ids are not sent again) and is checked again by a run from "
                + PortalAnswers.CLOCK.format(Instant.ofEpochMilli(now + wait)) + " on (failed check " + failures + ")";
    }

    /** The run's one line about deletes, when it did or found any. Never throws: it runs after a failure too. */
    public void summary(ExportRun run) {
        Tally tally = tallies.remove(run.getId());
        if (tally == null || tally.queued + tally.sent + tally.deleted + tally.notFound + tally.failed + tally.waiting == 0) {
            return;
        }
        long failing;
        try {
            failing = history().countDocuments(Filters.eq(STATE, FAILED));
        } catch (RuntimeException e) {
            failing = tally.failed; // the store failed: the run's own sentence says so
        }
        LOG.info("Export run {}: retired identities at the portal: {} queued, {} sent in {} bulk delete(s), {} deleted, {} not held by"
                + " the portal (done), {} refused now ({} waiting to be sent again: GET /v3/exports/failures), {} wait for their upload"
                + " to settle", run.getId(), tally.queued, tally.sent, tally.bulks, tally.deleted, tally.notFound, tally.failed, failing,
                tally.waiting);
    }

    /**
     * {@code uploadFailures} ({@code GET /v3/exports/failures}) with the deletes the portal refused
     * added (status {@code delete retried}), newest first, at most {@code limit} rows.
     */
    public List<Map<String, Object>> withFailures(List<Map<String, Object>> uploadFailures, int limit) {
        List<Map<String, Object>> rows = new ArrayList<>(uploadFailures);
        history().find(Filters.eq(STATE, FAILED)).sort(Sorts.descending("deleteErrorAt")).limit(limit).forEach(entry -> {
            Map<String, Object> row = new LinkedHashMap<>();
            Number next = entry.get(NEXT, Number.class);
            row.put("enrollmentID", entry.getString("enrollmentID"));
            row.put("serialNumber", entry.getString("serialNumber"));
            row.put("code", entry.getString("deleteErrorCode"));
            row.put("error", "retired, not deleted at the portal: " + entry.getString("deleteError")
                    + (next == null ? "" : "; sent again by a run from " + Instant.ofEpochMilli(next.longValue()) + " on"));
            row.put("attempts", entry.get(ATTEMPTS));
            row.put("status", "delete retried");
            row.put("at", entry.get("deleteErrorAt"));
            rows.add(row);
        });
        rows.sort((a, b) -> Long.compare(at(b), at(a)));
        return rows.size() > limit ? new ArrayList<>(rows.subList(0, limit)) : rows;
    }

    private static long at(Map<String, Object> row) {
        return row.get("at") instanceof Number n ? n.longValue() : 0;
    }

    /** A per-id "not found" in a bulk delete's report: the portal did not hold the id. */
    static boolean isNotFound(PortalErrorReport.Entry entry) {
        return "404".equals(entry.code().trim()) || "not_found".equalsIgnoreCase(entry.type().trim());
    }

    private Tally tally(ExportRun run) {
        return tallies.computeIfAbsent(run.getId(), id -> new Tally());
    }

    private void count(String outcome, long n) {
        ExportMeters counters = meters.get();
        if (counters != null) {
            counters.count(ExportMeters.DELETE, outcome, n);
        }
    }

    private com.mongodb.client.MongoDatabase db() {
        return client.get().getDatabase(database);
    }

    private MongoCollection<Document> history() {
        return db().getCollection(historyCollection);
    }
}
