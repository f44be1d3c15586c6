package io.pep.lookup;

import io.pep.identity.QueryParameters;
import java.util.ArrayList;
import java.util.List;
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

}
