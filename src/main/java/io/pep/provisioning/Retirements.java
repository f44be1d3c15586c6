package io.pep.provisioning;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import io.pep.identity.NotFound;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retiring a serial's current identity so the serial can be provisioned again (rework, RMA).
 *
 * <p>The records collection holds only current identities (deployed, or reserved by a run in
 * progress), so its unique index on {@code serialNumber} keeps guarding provisioning exactly as
 * before, on MongoDB and on the embedded store (which has no partial indexes). A retirement moves
 * the record, whole and with the same {@code _id}, into the history collection:
 * <ol>
 * <li>insert it there marked {@code retirePending} (the {@code _id} is unique: two retirements of
 * one identity cannot both pass this step);</li>
 * <li>delete it from the records by {@code _id} and {@code deployed: true}: from here on the serial
 * is free;</li>
 * <li>clear {@code retirePending}. Only then is the retirement answered 200.</li>
 * </ol>
 * Every step is one durable store write (the embedded store commits before it acknowledges), so an
 * acknowledged retirement survives kill -9. A pep that dies between steps leaves a pending entry:
 * {@link #settlePending} (start-up and heartbeat, an indexed query) finishes it. A serial being
 * provisioned on this pep is held in {@link SerialsInFlight}; one reserved by another pep has
 * {@code deployed: false} and is refused too: a retirement and a provisioning never both act on one
 * serial at the same time.
 */
public class Retirements {

    public static final String STATE = "state";
    public static final String RETIRED = "retired";
    public static final String RETIRED_AT = "retiredAt";
    public static final String REASON = "retireReason";
    public static final String REASON_CLASS = "retireReasonClass";
    public static final String RETIRED_BY = "retiredBy";
    public static final String RETIRED_FROM = "retiredFrom";
    public static final String PENDING = "retirePending";
    public static final int MAX_REASON = 512;
    /**
     * A pending entry younger than this may belong to a retirement another pep is making right now:
     * the longest its three writes can take against a store that answers at its timeout, with every
     * retry ({@link #settleAfterMs(long, int, long)}).
     */
    private final long settleAfterMs;
    private static final Logger LOG = LoggerFactory.getLogger(Retirements.class);

    /** A validated retirement request. */
    public record Request(String serialNumber, String reason, String reasonClass, String retiredBy, String client) {
    }

    private final SerialsInFlight inFlight;
    private final Supplier<MongoClient> client;
    private final String database;
    private final String collection;
    private final String historyCollection;
    private final ReasonClasses reasonClasses;

    public Retirements(SerialsInFlight inFlight, Supplier<MongoClient> client, String database, String collection,
                       String historyCollection, long settleAfterMs, ReasonClasses reasonClasses) {
        this.settleAfterMs = settleAfterMs;
        this.reasonClasses = reasonClasses;
        this.inFlight = inFlight;
        this.client = client;
        this.database = database;
        this.collection = collection;
        this.historyCollection = historyCollection;
    }

    /**
     * 400 unless {@code serialNumber} is given and {@code reason} has 1–512 characters without control
     * characters; the reason's class ({@link ReasonClasses}) is taken from its first word. Who retired it: the name of the admin token the call came with ({@code tokenName};
     * every token has one, an unnamed one by its place), or "no token" while tokens are off; the
     * client's address is kept beside it.
     */
    public Request request(QueryParameters query, Object remote, boolean tokensOn, String tokenName) {
        String serialNumber = query.nonEmpty("serialNumber").orElseThrow(() -> new InvalidRequest(
                "Invalid request: missing required parameter 'serialNumber'"));
        String reason = query.single("reason").map(String::strip).filter(r -> !r.isEmpty())
                .orElseThrow(() -> new InvalidRequest("Invalid request: missing required parameter 'reason' (why the"
                        + " identity is retired, 1-" + MAX_REASON + " characters)"));
        if (reason.codePointCount(0, reason.length()) > MAX_REASON) {
            throw new InvalidRequest("Invalid request: parameter 'reason' is longer than " + MAX_REASON + " characters");
        }
        if (reason.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequest("Invalid request: parameter 'reason' must not contain control characters");
        }
        String retiredBy = tokenName != null ? "token '" + tokenName + "'"
                : tokensOn ? "admin token" : "no token (access tokens off)";
        return new Request(serialNumber, reason, reasonClasses.of(reason), retiredBy, address(remote));
    }

    /**
     * How old a half-done retirement must be before a heartbeat finishes it: three writes, each up
     * to {@code pep.mongo.timeout-ms} per try, {@code pep.mongo.write-retries} more tries
     * {@code pep.mongo.write-retry-delay} apart.
     */
    public static long settleAfterMs(long storeTimeoutMs, int writeRetries, long retryDelayMs) {
        return 3L * (writeRetries + 1) * (storeTimeoutMs + retryDelayMs);
    }

    /** Retires the serial's current identity; answers the retired entry as the history lists it. */
    public Map<String, Object> retire(Request request) {
        try {
            inFlight.claim(request.serialNumber());
        } catch (SerialInUse e) {
            throw inProgress(request.serialNumber());
        }
        try {
            return view(moveToHistory(request), false);
        } finally {
            inFlight.release(request.serialNumber());
        }
    }

    private Document moveToHistory(Request request) {
        Document current = records().find(Filters.eq("serialNumber", request.serialNumber())).first();
        if (current == null) {
            Document last = history().find(Filters.eq("serialNumber", request.serialNumber()))
                    .sort(Sorts.descending(RETIRED_AT)).first();
            if (last == null) {
                throw new NotFound();
            }
            throw alreadyRetired(last);
        }
        if (!Boolean.TRUE.equals(current.get("deployed"))) {
            throw inProgress(request.serialNumber());
        }
        Document retired = new Document(current).append(STATE, RETIRED).append(RETIRED_AT, System.currentTimeMillis())
                .append(REASON, request.reason()).append(REASON_CLASS, request.reasonClass())
                .append(RETIRED_BY, request.retiredBy())
                .append(RETIRED_FROM, request.client()).append(PENDING, true);
        try {
            history().insertOne(retired);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw alreadyRetired(history().find(Filters.eq("_id", current.get("_id"))).first());
            }
            throw e;
        }
        try {
            complete(retired);
        } catch (RuntimeException e) {
            LOG.warn("The retirement of '{}' ({}) is in the history but not finished ({}); pep finishes it once the store"
                    + " is back", request.serialNumber(), current.getString("enrollmentID"), e.getMessage());
            throw new RetireUnfinished(request.serialNumber(), e, settleAfterMs);
        }
        retired.remove(PENDING);
        LOG.info("Retired the identity of '{}' ({}): {} — by {} from {}", request.serialNumber(),
                current.getString("enrollmentID"), request.reason(), request.retiredBy(), request.client());
        return retired;
    }

    /** Steps 2 and 3: the record leaves the records collection, then the history entry is final. */
    private void complete(Document retired) {
        records().deleteOne(Filters.and(Filters.eq("_id", retired.get("_id")), Filters.eq("deployed", true)));
        history().updateOne(Filters.eq("_id", retired.get("_id")), Updates.unset(PENDING));
    }

    /**
     * Finishes the retirements a pep left half done (it died between the steps, at least
     * {@link #settleAfterMs} ago): the history entry is there, so the record goes. Throws while the store is unreachable (the next run tries again).
     */
    public int settlePending() {
        int settled = 0;
        long before = System.currentTimeMillis() - settleAfterMs;
        for (Document pending : history().find(Filters.eq(PENDING, true)).limit(1000)) {
            Object at = pending.get(RETIRED_AT);
            if (inFlight.isClaimed(pending.getString("serialNumber")) || at instanceof Number ms && ms.longValue() > before) {
                continue; // a retirement under way now, here or on another pep: it finishes by itself
            }
            complete(pending);
            settled++;
            LOG.warn("Completed the retirement of '{}' ({}) that an earlier run of pep left half done",
                    pending.getString("serialNumber"), pending.getString("enrollmentID"));
        }
        return settled;
    }

    /** Whether the identity recorded under {@code id} was retired (its journal entry must not bring it back). */
    public boolean isRetired(Object id) {
        return id != null && history().find(Filters.eq("_id", id)).first() != null;
    }

    /**
     * Every identity {@code serialNumber} ever had, oldest first: the retired ones, then the current one
     * ({@code deployed}, or {@code provisioning} while a run holds its reservation). 404 when none.
     */
    public Map<String, Object> history(QueryParameters query) {
        String serialNumber = query.nonEmpty("serialNumber").orElseThrow(() -> new InvalidRequest(
                "Invalid request: missing required parameter 'serialNumber'"));
        Document current = records().find(Filters.eq("serialNumber", serialNumber)).first();
        List<Map<String, Object>> identities = new ArrayList<>();
        for (Document retired : history().find(Filters.eq("serialNumber", serialNumber)).sort(Sorts.ascending(RETIRED_AT))) {
            boolean unfinished = current != null && retired.get("_id").equals(current.get("_id"));
            if (!unfinished) {
                identities.add(view(retired, false));
            }
        }
        if (current != null) {
            identities.add(view(current, true));
        }
        if (identities.isEmpty()) {
            throw new NotFound();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("serialNumber", serialNumber);
        answer.put("identities", identities);
        return answer;
    }

    /** The fields an operator needs: never the verification key. */
    private static Map<String, Object> view(Document record, boolean current) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enrollmentID", record.getString("enrollmentID"));
        view.put(STATE, current ? (Boolean.TRUE.equals(record.get("deployed")) ? "deployed" : "provisioning") : RETIRED);
        view.put("createdAt", record.get("createdAt"));
        if (!current) {
            view.put(RETIRED_AT, record.get(RETIRED_AT));
            view.put("reason", record.get(REASON));
            if (record.containsKey(REASON_CLASS)) {
                view.put("reasonClass", record.get(REASON_CLASS));
            }
            view.put(RETIRED_BY, record.get(RETIRED_BY));
            view.put(RETIRED_FROM, record.get(RETIRED_FROM));
            // set by the upload runs that remove retired identities from the portal (io.pep.export.PortalDeletes)
            if (record.containsKey("portalDelete")) {
                view.put("portalDelete", record.get("portalDelete"));
            }
        }
        return view;
    }

    private static RetireRefused inProgress(String serialNumber) {
        return new RetireRefused("Gateway with serialNumber '" + serialNumber + "' is being provisioned right now;"
                + " retire its identity once that has ended.");
    }

    private static RetireRefused alreadyRetired(Document last) {
        Object at = last == null ? null : last.get(RETIRED_AT);
        String when = at instanceof Number ms ? Instant.ofEpochMilli(ms.longValue()).toString() : "a moment ago";
        String serial = last == null ? "" : " of '" + last.getString("serialNumber") + "'";
        return new RetireRefused("The identity" + serial + " was retired already, at " + when
                + "; the serial has no current identity (GET /v3/identities/history lists them).");
    }

    private static String address(Object remote) {
        if (remote instanceof io.vertx.core.net.SocketAddress address) {
            return address.hostAddress() != null ? address.hostAddress() : address.host();
        }
        return remote == null ? null : remote.toString();
    }

    private MongoCollection<Document> records() {
        return client.get().getDatabase(database).getCollection(collection);
    }

    private MongoCollection<Document> history() {
        return client.get().getDatabase(database).getCollection(historyCollection);
    }
}
