package io.pep.provisioning;

import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A serial that already has a record (deployed, or reserved by a run in progress) is refused with
 * {@link SerialInUse} at once, before the request queues for a tool slot: waiting could only end in the same 409,
 * or in a misleading 503 "busy". The reservation's unique index stays the guard against races;
 * this look-up only answers the common case early.
 */
public class KnownSerials {

    /**
     * The serial alone, the key of the unique index: the embedded store uses an index only for a
     * query on exactly its keys (STACK.md), anything more would scan every record.
     */
    public Bson bySerial(IdentityRequest request) {
        return new Document("serialNumber", request.getSerialNumber());
    }

    /** Refuses the request when the look-up found a record. */
    public void refuseKnown(Document found, IdentityRequest request) {
        if (found != null) {
            throw new SerialInUse(request.getSerialNumber());
        }
    }
}
