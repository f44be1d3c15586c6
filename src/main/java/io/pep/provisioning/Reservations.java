package io.pep.provisioning;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import java.util.List;
import org.apache.camel.util.ObjectHelper;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The MongoDB side of a provisioning attempt: the reservation (a {@code deployed=false} record
 * whose unique serial blocks concurrent duplicates), its promotion to deployed, its removal.
 * Every write addresses the record by {@code _id}, which every store indexes.
 */
public class Reservations {

    private final long staleAfterMs;

    public Reservations(long staleAfterMs) {
        this.staleAfterMs = staleAfterMs;
    }

    /**
     * For a failed reservation insert: {@link SerialInUse} when the serial exists (the unique
     * index refused a concurrent request), otherwise the store's error as is.
     */
    public Exception conflict(IdentityRequest request, Exception caught) {
        MongoWriteException write = ObjectHelper.getException(MongoWriteException.class, caught);
        if (write != null && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
            return new SerialInUse(request.getSerialNumber());
        }
        return caught;
    }

    public Bson byId(Reservation reservation) {
        return reservation.byId();
    }

    /**
     * [filter, update] that writes the reservation as deployed with {@code enrollmentId}, by
     * {@code _id}: the whole record is set (sent as an upsert, the write re-creates it should the
     * reservation have been freed while the store was unreachable) and the reservation fields go in
     * the same atomic update.
     */
    public List<Bson> deployed(Reservation reservation, String enrollmentId) {
        Document set = reservation.deployed(enrollmentId);
        set.remove("_id");
        return List.of(reservation.byId(), new Document("$set", set).append("$unset", new Document(InstanceLeases.OWNER, "")
                .append(InstanceLeases.OWNER_NAME, "").append(InstanceLeases.RESERVATION, "")));
    }

    /** The 200 answer's record: the reservation deployed with {@code enrollmentId}. */
    public Document identity(Reservation reservation, String enrollmentId) {
        return reservation.deployed(enrollmentId);
    }

    /**
     * Reservations old enough that no live run can own them: a safety net for reservations no
     * heartbeat accounts for (left by a pep older than the instance leases). It scans the
     * collection, so it runs at start and then rarely ({@code pep.reservation.sweep-interval}).
     */
    public Bson stale() {
        return new Document("deployed", false)
                .append("createdAt", new Document("$lt", System.currentTimeMillis() - staleAfterMs));
    }
}
