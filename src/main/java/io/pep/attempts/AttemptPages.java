package io.pep.attempts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pep.api.QueryParameters;
import java.util.List;
import org.apache.camel.Exchange;
import org.bson.Document;

/** The attempts route's handle on {@link AttemptPage}, and the retention purge's filter. */
public class AttemptPages {

    private final long retentionMs;

    public AttemptPages(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    public AttemptPage request(QueryParameters query, String accept) {
        return AttemptPage.of(query, accept);
    }

    @SuppressWarnings("unchecked")
    public void answer(Exchange exchange) throws JsonProcessingException {
        AttemptPage page = exchange.getProperty("page", AttemptPage.class);
        List<Document> attempts = exchange.getIn().getBody(List.class);
        page.answer(exchange, attempts == null ? List.of() : attempts);
    }

    /** Attempts older than {@code pep.attempts.retention} (a TTL index does this on MongoDB; the embedded store has none). */
    public Document expired() {
        return new Document("time", new Document("$lt", new java.util.Date(System.currentTimeMillis() - retentionMs)));
    }
}
