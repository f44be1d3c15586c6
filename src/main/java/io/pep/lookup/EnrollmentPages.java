package io.pep.lookup;

import io.pep.api.QueryParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The enrollment-ids route's handle on {@link EnrollmentPage}: reads the request and the records;
 * the route marshals the answer (camel-csv or camel-jackson) and sets its headers.
 */
public class EnrollmentPages {

    public EnrollmentPage request(QueryParameters query, String accept) {
        return EnrollmentPage.of(query, accept);
    }

    /**
     * The records of the query's answer, read once: {@code body} is the query's iterable (at most
     * one page, the query has the page's limit).
     */
    @SuppressWarnings("unchecked")
    public List<Document> records(Object body) {
        List<Document> records = new ArrayList<>();
        if (body instanceof Iterable<?> iterable) {
            ((Iterable<Document>) iterable).forEach(records::add);
        }
        return records;
    }

    public List<List<String>> csvRows(EnrollmentPage page, List<Document> records) {
        return page.csvRows(records);
    }

    public Map<String, Object> hal(EnrollmentPage page, List<Document> records) {
        return page.hal(records);
    }

    /** The CSV answer's {@code Link} header; null (no header) after an empty page. */
    public String nextLink(EnrollmentPage page, List<Document> records) {
        String next = page.nextHref(records);
        return next == null ? null : "<" + next + ">; rel=\"next\"";
    }
}
