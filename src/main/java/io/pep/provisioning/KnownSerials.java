package io.pep.provisioning;

import io.pep.api.ApiProblem;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A serial that already has a record (deployed, or reserved by a run in progress) is refused with
 * 409 at once, before the request queues for a tool slot: waiting could only end in the same 409,
 * or in a misleading 503 "busy". The reservation's unique index stays the guard against races;
 * this look-up only answers the common case early.
 */
public class KnownSerials {

    /**
     * The original server's words (SPEC §8): old clients write a refused request's body into
     * identity.json and factory scripts look for this sentence, so every 409 starts with it.
     */
    public static final String ORIGINAL_CONFLICT_TEXT = "Identity with this serial number exists already!";

    /** 409 for a serial that has a record. */
    public static ApiProblem conflict(String serialNumber) {
        return new ApiProblem(409, ORIGINAL_CONFLICT_TEXT + " Gateway with serialNumber '" + serialNumber
                + "' already has an identity (or is being provisioned right now); a serial is provisioned once.");
    }

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
            throw conflict(request.getSerialNumber());
        }
    }
}
