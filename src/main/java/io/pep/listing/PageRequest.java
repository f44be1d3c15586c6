package io.pep.listing;

import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import java.util.List;
import java.util.Locale;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * What every listing request (enrollment ids, attempts) asks the same way: the page size
 * ({@code limit}, 50 by default, clamped to 1000 as the original did), the cursor ({@code last}: the
 * {@code _id} of the previous page's last entry) and the representation (CSV with
 * {@code format=csv} or an {@code Accept} naming text/csv, else JSON).
 */
public record PageRequest(int limit, ObjectId last, boolean csv) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public static PageRequest of(QueryParameters query, String accept) {
        int limit = query.nonEmpty("limit").map(PageRequest::limitOf).orElse(DEFAULT_LIMIT);
        ObjectId last = query.nonEmpty("last").map(text -> {
            if (!ObjectId.isValid(text)) {
                throw new InvalidRequest("Invalid request: parameter 'last' must be the _id of an entry of the"
                        + " previous page (24 hex digits)");
            }
            return new ObjectId(text);
        }).orElse(null);
        boolean csv = query.nonEmpty("format").map("csv"::equalsIgnoreCase).orElse(false)
                || accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
        return new PageRequest(limit, last, csv);
    }

    private static int limitOf(String text) {
        try {
            int limit = Integer.parseInt(text.trim());
            return limit < 1 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
        } catch (NumberFormatException e) {
            return text.trim().matches("\\d+") ? MAX_LIMIT : DEFAULT_LIMIT; // digits too long for an int: clamp
        }
    }

    /** The cursor of this request as text, null on the first page. */
    public String lastId() {
        return last == null ? null : last.toHexString();
    }

    /** The cursor of the page after {@code entries}: its last entry's {@code _id}; null after an empty page. */
    public static String nextCursor(List<Document> entries) {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).getObjectId("_id").toHexString();
    }
}
