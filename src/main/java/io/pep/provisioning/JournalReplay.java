package io.pep.provisioning;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the journal's unrecorded identities into the store: at start-up and on a schedule, so
 * an identity injected while the store was down is recorded as soon as it is back. Idempotent:
 * each entry is looked up by its serial (the unique index) and written only if the store does
 * not already hold it; the reservation it replaces loses its reservation fields in the same
 * update, so no sweep can remove it afterwards. An entry whose identity was retired since
 * ({@link Retirements}) is done: writing it again would bring a retired identity back.
 */
public class JournalReplay {

    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);

    private final ProvisioningJournal journal;
    private final InstanceLeases leases;
    private final Supplier<MongoClient> client;
    private final String database;
    private final String collection;
    private final Set<String> conflictsLogged = new HashSet<>();
    private final Supplier<Retirements> retirements;

    public JournalReplay(ProvisioningJournal journal, InstanceLeases leases, Supplier<MongoClient> client,
                         String database, String collection, Supplier<Retirements> retirements) {
        this.retirements = retirements;
        this.journal = journal;
        this.leases = leases;
        this.client = client;
        this.database = database;
        this.collection = collection;
    }

    /** Records what it can; throws while the store is unreachable (the next run tries again). */
    public synchronized int replay() {
        int recorded = 0;
        for (ProvisioningJournal.Entry entry : journal.unrecorded()) {
            boolean wasRecorded = entry.recordedAt != 0;
            if (record(entry)) {
                journal.recorded(entry.id);
                if (entry.reservation != null) {
                    leases.releaseNumber(entry.reservation);
                }
                if (!wasRecorded) {
                    recorded++;
                    LOG.warn("Recorded '{}' ({}) from the provisioning journal", entry.serialNumber(), entry.enrollmentId());
                }
            }
        }
        journal.compact();
        return recorded;
    }

    /** True when the store holds the entry's record now (found there, or written). */
    private boolean record(ProvisioningJournal.Entry entry) {
        MongoCollection<Document> records = client.get().getDatabase(database).getCollection(collection);
        Document wanted = entry.record();
        if (retirements.get().isRetired(wanted.get("_id"))) {
            return true;
        }
        Document existing = records.find(Filters.eq("serialNumber", entry.serialNumber())).first();
        if (existing == null) {
            try {
                records.insertOne(wanted);
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false; // someone wrote it meanwhile: look again next time
                }
                throw e;
            }
        }
        if (Boolean.TRUE.equals(existing.getBoolean("deployed"))) {
            if (entry.enrollmentId().equals(existing.getString("enrollmentID"))) {
                return true;
            }
            conflict(entry, "the store records enrollment id " + existing.getString("enrollmentID") + " for it");
            return false;
        }
        if (existing.get("_id").equals(wanted.get("_id"))) {
            Document set = new Document(wanted);
            set.remove("_id");
            records.updateOne(Filters.eq("_id", existing.get("_id")), new Document("$set", set)
                    .append("$unset", new Document(InstanceLeases.OWNER, "").append(InstanceLeases.OWNER_NAME, "")
                            .append(InstanceLeases.RESERVATION, "")));
            return true;
        }
        conflict(entry, "another provisioning of it is in progress (" + existing.get(InstanceLeases.OWNER_NAME) + ")");
        return false;
    }

    private void conflict(ProvisioningJournal.Entry entry, String what) {
        if (conflictsLogged.add(entry.id)) {
            LOG.error("The gateway '{}' holds enrollment id {} (provisioning journal) but {}; the journal keeps it"
                    + " until an operator decides which identity is real", entry.serialNumber(), entry.enrollmentId(), what);
        }
    }
}
