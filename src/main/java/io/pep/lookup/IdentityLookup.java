package io.pep.lookup;

import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import io.pep.identity.NotFound;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The single-gateway lookups ({@code enrollment-id}, {@code verification-key}). The query uses
 * the indexed {@code serialNumber} alone and {@code deployed} is checked here: the embedded store
 * only uses an index whose keys match the query exactly.
 */
public class IdentityLookup {

    /** The filter for the gateway named by the request; 400 when {@code serialNumber} is missing. */
    public Bson filter(QueryParameters query) {
        String serialNumber = query.nonEmpty("serialNumber").orElseThrow(() -> new InvalidRequest(
                "Invalid request: missing required parameter 'serialNumber'"));
        return new Document("serialNumber", serialNumber);
    }

    /** The value of {@code field} of a deployed gateway; 404 {@code Not found!} otherwise. */
    public String deployedField(Document found, String field) {
        if (found == null || !Boolean.TRUE.equals(found.get("deployed"))) {
            throw new NotFound();
        }
        Object value = found.get(field);
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new NotFound();
        }
        return text;
    }
}
