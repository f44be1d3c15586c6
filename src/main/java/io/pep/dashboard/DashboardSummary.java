package io.pep.dashboard;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.pep.identity.QueryParameters;
import io.pep.attempts.AttemptOutcome;
import io.pep.identity.InvalidRequest;
import io.pep.export.UploadLedger;
import io.pep.provisioning.ToolSlots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * What the dashboard shows, computed on each call from the attempt log, the records and the tool
 * slots: a view over them, never a second copy. {@code GET /dashboard/api/summary?window=1h|24h|7d}
 * and {@code GET /dashboard/api/gateway?serialNumber=}. A store that does not answer fails the call
 * (503 from the API's error rules); the page says so and keeps polling.
 */
public class DashboardSummary {

    static final Map<String, Long> WINDOWS = Map.of("1h", 3_600_000L, "24h", 86_400_000L, "7d", 604_800_000L);
    /** At most this many failed attempts are read to group a window; the answer says when it stopped there. */
    static final int MAX_FAILURES_READ = 20_000;
    /** The record's fields the lookup shows: never the verification key. */
    private static final List<String> RECORD_FIELDS = List.of("serialNumber", "enrollmentID", "deployed", "createdAt",
            "category", "hardwareVersion", "radioConfig", "ledConfig", "apiAddress", "gatewayServicesAddress");
    /**
     * Each open dashboard asks every 2 s; an answer is reused for at least this long so several
     * screens cost one read of the attempt log, not one each, and for {@link #REUSE_FACTOR} times
     * what computing it took: the embedded store has no index on time, so on a large log each call
     * scans the collection (bench/dashboard-summary.sh: about 1.5 s at 50000 attempts on this busy
     * machine) and the dashboard must not keep a core busy with it.
     */
    static final long REUSE_MS = 1000;
    static final int REUSE_FACTOR = 4;

    private record Computed(long at, long reuseMs, Map<String, Object> answer) {
    }

    private final Map<String, Computed> recent = new java.util.concurrent.ConcurrentHashMap<>();

    private final Supplier<MongoClient> client;
    private final String database;
    private final String records;
    private final String attempts;
    private final Supplier<ToolSlots> slots;
    private final ExportSchedule schedule;
    private final Supplier<UploadLedger> uploads;

    public DashboardSummary(Supplier<MongoClient> client, String database, String records, String attempts,
            Supplier<ToolSlots> slots, ExportSchedule schedule) {
        this(client, database, records, attempts, slots, schedule, () -> null);
    }

    /** @param uploads the upload ledger, for the bulk uploads an operator should look at (null: none shown) */
    public DashboardSummary(Supplier<MongoClient> client, String database, String records, String attempts,
            Supplier<ToolSlots> slots, ExportSchedule schedule, Supplier<UploadLedger> uploads) {
        this.client = client;
        this.database = database;
        this.records = records;
        this.attempts = attempts;
        this.slots = slots;
        this.schedule = schedule;
        this.uploads = uploads;
    }

    /** GET /dashboard/api/summary (the route marshals it as JSON); never changed once returned. */
    public Map<String, Object> summary(QueryParameters query) {
        String window = query.nonEmpty("window").orElse("1h");
        Long windowMs = WINDOWS.get(window);
        if (windowMs == null) {
            throw new InvalidRequest("Invalid request: parameter 'window' must be 1h, 24h or 7d");
        }
        long now = System.currentTimeMillis();
        Computed reused = recent.get(window);
        if (reused != null && now - reused.at() < reused.reuseMs() && now >= reused.at()) {
            return reused.answer();
        }
        MongoDatabase db = client.get().getDatabase(database);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("now", now);
        answer.put("lastHour", lastHour(db, now));
        ToolSlots toolSlots = slots.get();
        answer.put("slots", toolSlots == null ? Map.of() : Map.of("inUse", toolSlots.inUse(),
                "queued", toolSlots.queued(), "capacity", toolSlots.capacity()));
        answer.put("exportSchedule", schedule.next(new Date(now)));
        UploadLedger ledger = uploads.get();
        if (ledger != null) {
            answer.put("exportBulks", ledger.unsettledBulks());
        }
        answer.put("window", window);
        // the outcome filter's choices: the same list GET /v3/attempts accepts
        answer.put("outcomes", AttemptOutcome.LOGGED);
        // the outcomes the page marks as refusals (grey), not failures (red)
        answer.put("refusals", AttemptOutcome.REFUSALS);
        answer.putAll(failures(db, now - windowMs));
        long took = System.currentTimeMillis() - now;
        recent.put(window, new Computed(now, Math.max(REUSE_MS, REUSE_FACTOR * took), answer));
        return answer;
    }

    /** GET /dashboard/api/gateway?serialNumber=: the record's shown fields, or {"found":false} (marshalled by the route). */
    public Map<String, Object> gateway(QueryParameters query) {
        String serial = query.nonEmpty("serialNumber")
                .orElseThrow(() -> new InvalidRequest("Invalid request: missing required parameter 'serialNumber'"));
        if (serial.length() > 256) {
            throw new InvalidRequest("Invalid request: parameter 'serialNumber' has at most 256 characters");
        }
        Document record = client.get().getDatabase(database).getCollection(records)
                .find(Filters.eq("serialNumber", serial)).projection(Projections.include(RECORD_FIELDS)).first();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("found", record != null);
        if (record != null) {
            for (String field : RECORD_FIELDS) {
                if (record.containsKey(field)) {
                    answer.put(field, record.get(field));
                }
            }
        }
        return answer;
    }

    /**
     * The last 60 whole minutes and the current one: counts per minute by kind (ok, failed at the
     * gateway or tool, refused, other: {@link AttemptOutcome#kind}), p50/p95, and the success
     * ratio: provisioned / (provisioned + gateway or tool failures); retirements (rework) apart, with
     * the newest one's serial, reason and token. Duplicates (409), bad requests
     * (400) and busy answers (503) are their own figures; site refusals, an unavailable store and
     * unexpected errors are {@code other}.
     */
    Map<String, Object> lastHour(MongoDatabase db, long now) {
        long minute = 60_000L;
        long first = (now / minute - 59) * minute;
        // per minute and kind (AttemptOutcome.kind): the chart colours them as the success ratio weighs them
        Map<String, int[]> perKind = new LinkedHashMap<>();
        for (String kind : List.of("ok", "failed", "refused", "other")) {
            perKind.put(kind, new int[60]);
        }
        Map<String, Integer> byOutcome = new java.util.HashMap<>();
        List<Long> durations = new ArrayList<>();
        int retired = 0;
        Document lastRetirement = null;
        for (Document attempt : db.getCollection(attempts).find(Filters.gte("time", new Date(first)))
                .projection(Projections.include("time", "outcome", "durationMs", "serialNumber", "reason", "retiredBy", "enrollmentID"))) {
            Date time = attempt.getDate("time");
            int slot = time == null ? -1 : (int) ((time.getTime() - first) / minute);
            if (slot < 0 || slot >= 60) {
                continue;
            }
            String outcome = String.valueOf(attempt.get("outcome"));
            if (AttemptOutcome.RETIRED.equals(outcome)) {
                // a retirement is in the log, but is no provisioning: a figure of its own
                retired++;
                if (lastRetirement == null || !time.before(lastRetirement.getDate("time"))) {
                    lastRetirement = attempt;
                }
                continue;
            }
            byOutcome.merge(outcome, 1, Integer::sum);
            perKind.get(AttemptOutcome.kind(outcome))[slot]++;
            Object duration = attempt.get("durationMs");
            if (duration instanceof Number n) {
                durations.add(n.longValue());
            }
        }
        List<Map<String, Object>> perMinute = new ArrayList<>();
        int okTotal = 0;
        int total = 0;
        for (int i = 0; i < 60; i++) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("start", first + i * minute);
            for (Map.Entry<String, int[]> kind : perKind.entrySet()) {
                counts.put(kind.getKey(), kind.getValue()[i]);
                total += kind.getValue()[i];
            }
            perMinute.add(counts);
            okTotal += perKind.get("ok")[i];
        }
        long[] sorted = durations.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> hour = new LinkedHashMap<>();
        hour.put("perMinute", perMinute);
        hour.put("total", total);
        int gatewayOrTool = AttemptOutcome.GATEWAY_OR_TOOL_FAILURES.stream().mapToInt(o -> byOutcome.getOrDefault(o, 0)).sum();
        int conflict = byOutcome.getOrDefault(AttemptOutcome.CONFLICT, 0);
        int invalid = byOutcome.getOrDefault(AttemptOutcome.INVALID, 0);
        int busy = byOutcome.getOrDefault(AttemptOutcome.BUSY, 0);
        hour.put("ok", okTotal);
        hour.put("failed", gatewayOrTool);
        hour.put("conflict", conflict);
        hour.put("invalid", invalid);
        hour.put("busy", busy);
        hour.put("other", total - okTotal - gatewayOrTool - conflict - invalid - busy);
        hour.put("successRatio", okTotal + gatewayOrTool == 0 ? null : (double) okTotal / (okTotal + gatewayOrTool));
        hour.put("retired", retired);
        if (lastRetirement != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("time", lastRetirement.getDate("time").getTime());
            for (String field : List.of("serialNumber", "enrollmentID", "reason", "retiredBy")) {
                last.put(field, lastRetirement.get(field));
            }
            hour.put("lastRetirement", last);
        }
        hour.put("p50Ms", percentile(sorted, 50));
        hour.put("p95Ms", percentile(sorted, 95));
        return hour;
    }

    /** Nearest-rank percentile; null without data. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Attempts that did not provision since {@code since}, grouped by what went wrong (each group
     * with its kind: failed, refused or other, as the chart colours it): outcome plus FCC's answer when
     * it answered, else the reason text with the attempt's own serial, ip and port taken out, so a
     * bad batch is one group, not one per gateway.
     */
    Map<String, Object> failures(MongoDatabase db, long since) {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        int read = 0;
        for (Document attempt : db.getCollection(attempts)
                .find(Filters.and(Filters.gte("time", new Date(since)), Filters.nin("outcome", List.of("ok", "retired"))))
                .projection(Projections.include("time", "outcome", "reason", "serialNumber", "ip", "port",
                        "fccReturnStatus", "fccInfoMessage"))
                .sort(Sorts.descending("time")).limit(MAX_FAILURES_READ)) {
            read++;
            String outcome = String.valueOf(attempt.get("outcome"));
            Object fccStatus = attempt.get("fccReturnStatus");
            String reason = general(attempt.get("reason"), attempt);
            String key = outcome + "\u0000" + (fccStatus == null ? reason
                    : fccStatus + "\u0000" + general(attempt.get("fccInfoMessage"), attempt));
            Map<String, Object> group = groups.get(key);
            if (group == null) {
                group = new LinkedHashMap<>();
                group.put("outcome", outcome);
                group.put("kind", AttemptOutcome.kind(outcome));
                group.put("reason", reason);
                if (fccStatus != null) {
                    group.put("fccReturnStatus", fccStatus);
                    group.put("fccInfoMessage", attempt.get("fccInfoMessage"));
                }
                group.put("count", 0);
                group.put("last", attempt.getDate("time") == null ? null : attempt.getDate("time").getTime());
                group.put("lastSerialNumber", attempt.get("serialNumber"));
                groups.put(key, group);
            }
            group.put("count", (int) group.get("count") + 1);
        }
        List<Map<String, Object>> list = new ArrayList<>(groups.values());
        list.sort((a, b) -> Integer.compare((int) b.get("count"), (int) a.get("count")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("failuresTotal", read);
        answer.put("failuresTruncated", read >= MAX_FAILURES_READ);
        answer.put("failureGroups", list);
        return answer;
    }

    /** The text with this attempt's serial, ip and port replaced by placeholders. */
    static String general(Object text, Document attempt) {
        if (text == null) {
            return "";
        }
        String result = text.toString();
        for (String[] pair : Arrays.asList(new String[] {"serialNumber", "<serial>"}, new String[] {"ip", "<ip>"},
                new String[] {"port", "<port>"})) {
            Object value = attempt.get(pair[0]);
            if (value != null && value.toString().length() >= 2) {
                result = result.replace(value.toString(), pair[1]);
            }
        }
        return result;
    }
}
