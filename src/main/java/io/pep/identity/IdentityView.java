package io.pep.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The public JSON shape of a gateway identity (SPEC §1), in the original's field order. Never
 * shows {@code verificationKey} or pep's bookkeeping fields (export marks, reservation data).
 */
public final class IdentityView {

    static final List<String> FIELDS = List.of("serialNumber", "deployed", "hardwareVersion", "radioConfig",
            "ledConfig", "category", "cloudAddress", "apiAddress", "gatewayServicesAddress", "enrollmentID", "createdAt");

    /** The identity as an ordered map; with {@code withId}, also {@code _id} as hex (listing entries). */
    public static Map<String, Object> of(Document record, boolean withId) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (record.containsKey(field)) {
                view.put(field, record.get(field));
            }
        }
        if (withId && record.get("_id") instanceof ObjectId id) {
            view.put("_id", id.toHexString());
        }
        return view;
    }

    /** The 200 body of {@code GET /v3/identity}, for camel-jackson. */
    public Map<String, Object> identity(Document record) {
        return of(record, false);
    }
}
