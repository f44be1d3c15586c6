package io.pep.provisioning;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * One serial reserved by this pep incarnation for one provisioning attempt: a value, never
 * changed once made. The reservation's {@code _id} is chosen here, not by the driver at insert, so
 * whether a reservation exists is this value's presence; every document it gives is new, so no
 * step of the attempt can change what another step reads.
 *
 * @param id the record's {@code _id}, in the reservation and in the deployed record alike
 * @param fields the requested fields in the record's order ({@code serialNumber}, {@code deployed},
 *        the configuration, {@code verificationKey}); copied in and out
 * @param owner this pep incarnation
 * @param ownerName its instance name
 * @param key the lease key ({@code <incarnation>/<number>}) that lets other peps free the
 *        reservation of a dead incarnation
 * @param createdAt when the reservation was made, stamped at the insert
 */
public record Reservation(ObjectId id, String serialNumber, Document fields, String owner, String ownerName, String key,
                          long createdAt) {

    public Reservation {
        fields = new Document(fields);
    }

    static Reservation of(IdentityRequest request, String owner, String ownerName, String key) {
        return new Reservation(new ObjectId(), request.getSerialNumber(), request.getRecord(), owner, ownerName, key,
                System.currentTimeMillis());
    }

    @Override
    public Document fields() {
        return new Document(fields);
    }

    /** The reservation record to insert: {@code deployed=false}, owned by this incarnation. */
    public Document toInsert() {
        return record().append(InstanceLeases.OWNER, owner).append(InstanceLeases.OWNER_NAME, ownerName)
                .append(InstanceLeases.RESERVATION, key);
    }

    /** The record as the store holds it once the gateway has {@code enrollmentId}: no reservation fields. */
    public Document deployed(String enrollmentId) {
        Document record = record();
        record.put("deployed", true);
        return record.append("enrollmentID", enrollmentId);
    }

    /** The filter of every write to this reservation's record. */
    public Document byId() {
        return new Document("_id", id);
    }

    private Document record() {
        Document record = new Document("_id", id);
        record.putAll(fields);
        return record.append("createdAt", createdAt);
    }
}
