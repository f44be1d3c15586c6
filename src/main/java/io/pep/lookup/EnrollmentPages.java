package io.pep.lookup;

import io.pep.api.QueryParameters;
import java.util.List;
import org.apache.camel.Exchange;
import org.bson.Document;

/** The route's handle on {@link EnrollmentPage}: reads the request, writes the answer. */
public class EnrollmentPages {

    public EnrollmentPage request(QueryParameters query, String accept) {
        return EnrollmentPage.of(query, accept);
    }

    @SuppressWarnings("unchecked")
    public void answer(Exchange exchange) {
        EnrollmentPage page = exchange.getProperty("page", EnrollmentPage.class);
        List<Document> records = exchange.getIn().getBody(List.class);
        page.answer(exchange, records == null ? List.of() : records);
    }
}
