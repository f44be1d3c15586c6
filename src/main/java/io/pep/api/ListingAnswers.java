package io.pep.api;

import io.pep.listing.ListingPage;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** The answer of any listing route (bean {@code listingAnswers}): the body to marshal and the Link header. */
public class ListingAnswers {

    public List<Map<String, Object>> csvRows(ListingPage page, List<Document> entries) {
        return page.csvRows(entries);
    }

    public Map<String, Object> hal(ListingPage page, List<Document> entries) {
        return page.hal(entries);
    }

    /** The CSV answer's {@code Link} header; null (no header) after an empty page. */
    public String nextLink(ListingPage page, List<Document> entries) {
        String next = page.nextHref(entries);
        return next == null ? null : "<" + next + ">; rel=\"next\"";
    }
}
