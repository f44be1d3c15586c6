package io.pep.lookup;

import io.pep.api.QueryParameters;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.bson.Document;

/** The route's handle on {@link EnrollmentPage}: reads the request, writes the answer. */
public class EnrollmentPages {

    public EnrollmentPage request(QueryParameters query, String accept) {
        return EnrollmentPage.of(query, accept);
    }

    /**
     * Writes {@code page}'s answer on {@code exchange}. {@code body} is the query's iterable (at most
     * one page: the query has the page's limit), read once here.
     */
    @SuppressWarnings("unchecked")
    public void answer(EnrollmentPage page, Object body, Exchange exchange) {
        List<Document> records = new ArrayList<>();
        if (body instanceof Iterable<?> iterable) {
            ((Iterable<Document>) iterable).forEach(records::add);
        }
        page.answer(exchange, records);
    }
}
