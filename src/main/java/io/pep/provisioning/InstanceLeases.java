package io.pep.provisioning;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who owns a reservation, and for how long. Each pep incarnation keeps a heartbeat document in
 * the {@code pep.instance.collection} collection with a lease it renews every few seconds; each
 * reservation it inserts carries {@code owner} (the incarnation id), {@code ownerName} (for
 * humans) and {@code reservation}: {@code <incarnation>/<n>}, where {@code n} is a small number
 * taken from a per-incarnation pool (the lowest free one), so that the reservations of a dead
 * incarnation are exactly {@code <id>/0 … <id>/(leaseNumbers-1)}, each found through a unique
 * index. No query ever scans the records: mongo-java-server uses an index only for a query on
 * exactly its keys, and {@code {reservation: key}} is that. Promotion to deployed removes the
 * reservation fields in the same update, so a late sweep can never delete a deployed record.
 *
 * <p>Freed at once: reservations of earlier incarnations of this same instance (same name and
 * data folder, whose lock {@link Incarnation} holds). Freed after their lease lapsed: those of
 * any other incarnation (another pep on the same MongoDB that died or lost the store).
 */
public class InstanceLeases {

    static final String OWNER = "owner";
    static final String OWNER_NAME = "ownerName";
    static final String RESERVATION = "reservation";

    private static final Logger LOG = LoggerFactory.getLogger(InstanceLeases.class);

    private final Incarnation incarnation;
    private final Supplier<MongoClient> client;
    private final String database;
    private final String recordsCollection;
    private final String instancesCollection;
    private final long leaseMs;

    private final TreeSet<Integer> freeNumbers = new TreeSet<>();
    private int issuedNumbers;
    private int persistedNumbers;
    private volatile boolean registered;
    /** Reservations whose removal failed (store down): removed by a later heartbeat. */
    private final Set<String> removeLater = ConcurrentHashMap.newKeySet();

    public InstanceLeases(Incarnation incarnation, Supplier<MongoClient> client, String database,
                          String recordsCollection, String instancesCollection, long leaseMs) {
        this.incarnation = incarnation;
        this.client = client;
        this.database = database;
        this.recordsCollection = recordsCollection;
        this.instancesCollection = instancesCollection;
        this.leaseMs = leaseMs;
    }

    public Incarnation incarnation() {
        return incarnation;
    }

    /**
     * Start-up (and every heartbeat until it worked): index, heartbeat document, then free the
     * reservations of earlier incarnations of this instance. Throws while the store is down.
     */
    public synchronized void register() {
        if (registered) {
            return;
        }
        records().createIndex(Indexes.ascending(RESERVATION),
                new IndexOptions().unique(true).sparse(true).name("reservation_1"));
        long now = System.currentTimeMillis();
        instances().replaceOne(Filters.eq("_id", incarnation.id()), new Document("_id", incarnation.id())
                .append("name", incarnation.instanceName()).append("dataDirId", incarnation.dataDirId())
                .append("host", incarnation.host()).append("startedAt", now).append("heartbeatAt", now)
                .append("leaseUntil", now + leaseMs).append("leaseNumbers", persistedNumbers),
                new ReplaceOptions().upsert(true));
        registered = true;
        LOG.info("pep instance '{}' incarnation {} registered (lease {} ms)", incarnation.instanceName(),
                incarnation.id(), leaseMs);
        for (Document predecessor : instances().find(Filters.eq("name", incarnation.instanceName()))) {
            if (!incarnation.id().equals(predecessor.get("_id"))
                    && incarnation.dataDirId().equals(predecessor.getString("dataDirId"))) {
                free(predecessor, "an earlier run of this instance");
            }
        }
    }

    /** Throws (→ 503, nothing changed) until this incarnation's heartbeat document is in the store. */
    public void ensureRegistered() {
        if (!registered) {
            register();
        }
    }

    /**
     * The scheduled heartbeat: renew this incarnation's lease, retry removals that failed, and
     * free the reservations of incarnations whose lease lapsed.
     */
    public void heartbeat() {
        if (!registered) {
            register();
        }
        long now = System.currentTimeMillis();
        long matched = instances().updateOne(Filters.eq("_id", incarnation.id()), Updates.combine(
                Updates.set("heartbeatAt", now), Updates.set("leaseUntil", now + leaseMs))).getMatchedCount();
        if (matched == 0) {
            // another pep took this incarnation for dead (the store was unreachable longer than the lease)
            LOG.warn("The heartbeat of incarnation {} had been removed (lease lapsed while the store was"
                    + " unreachable); registering again", incarnation.id());
            synchronized (this) {
                registered = false;
            }
            register();
        }
        for (String key : List.copyOf(removeLater)) {
            records().deleteOne(Filters.eq(RESERVATION, key));
            removeLater.remove(key);
            releaseNumber(key);
        }
        // the instances collection holds one small document per live pep: scanning it is cheap
        for (Document lapsed : instances().find(Filters.lt("leaseUntil", now))) {
            if (!incarnation.id().equals(lapsed.get("_id"))) {
                free(lapsed, "its lease lapsed " + (now - lapsed.getLong("leaseUntil")) + " ms ago");
            }
        }
    }

    /** Frees every reservation a dead incarnation still holds, then forgets the incarnation. */
    private void free(Document dead, String why) {
        String id = String.valueOf(dead.get("_id"));
        int numbers = dead.getInteger("leaseNumbers", 0);
        long freed = 0;
        for (int n = 0; n < numbers; n++) {
            freed += records().deleteOne(Filters.eq(RESERVATION, id + "/" + n)).getDeletedCount();
        }
        instances().deleteOne(Filters.eq("_id", id));
        LOG.warn("Freed {} reservation(s) of pep '{}' incarnation {} ({}); their serials can be provisioned again",
                freed, dead.getString("name"), id, why);
    }

    /**
     * Reserves {@code request}'s serial for this incarnation (the record is inserted next), with a
     * lease number the store already knows this incarnation may use.
     */
    public Reservation reserve(IdentityRequest request) {
        ensureRegistered();
        int number;
        synchronized (this) {
            number = freeNumbers.isEmpty() ? issuedNumbers++ : freeNumbers.pollFirst();
        }
        try {
            persistNumbers(number + 1);
        } catch (RuntimeException e) {
            releaseNumber(incarnation.id() + "/" + number);
            throw e;
        }
        return Reservation.of(request, incarnation.id(), incarnation.instanceName(), incarnation.id() + "/" + number);
    }

    /** The heartbeat document must name every number in use before a reservation with it exists. */
    private void persistNumbers(int count) {
        synchronized (this) {
            if (count <= persistedNumbers) {
                return;
            }
        }
        instances().updateOne(Filters.eq("_id", incarnation.id()), Updates.max("leaseNumbers", count));
        synchronized (this) {
            persistedNumbers = Math.max(persistedNumbers, count);
        }
    }

    /** The reservation is gone from the store (removed, or promoted to deployed): its number is free again. */
    public void released(Reservation reservation) {
        releaseNumber(reservation.key());
    }

    /** The reservation could not be removed (store down): a later heartbeat removes it. */
    public void removeLater(Reservation reservation) {
        removeLater.add(reservation.key());
    }

    /** Takes back a number of this incarnation's (keys of earlier incarnations are ignored). */
    void releaseNumber(String key) {
        String prefix = incarnation.id() + "/";
        if (key.startsWith(prefix)) {
            synchronized (this) {
                freeNumbers.add(Integer.parseInt(key.substring(prefix.length())));
            }
        }
    }

    /** On a clean stop: let the lease lapse now, so other instances free what this one leaves at once. */
    public void expire() {
        if (registered) {
            instances().updateOne(Filters.eq("_id", incarnation.id()), Updates.set("leaseUntil", 0L));
        }
    }


    private MongoDatabase db() {
        return client.get().getDatabase(database);
    }

    private MongoCollection<Document> records() {
        return db().getCollection(recordsCollection);
    }

    private MongoCollection<Document> instances() {
        return db().getCollection(instancesCollection);
    }
}
