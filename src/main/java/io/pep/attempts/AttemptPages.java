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

    /** Writes {@code page}'s answer, the attempts found ({@code null}: none), on {@code exchange}. */
    public void answer(AttemptPage page, List<Document> attempts, Exchange exchange) throws JsonProcessingException {
        page.answer(exchange, attempts == null ? List.of() : attempts);
    }

    /** Attempts older than {@code pep.attempts.retention} (a TTL index does this on MongoDB; the embedded store has none). */
    public Document expired() {
        return new Document("time", new Document("$lt", new java.util.Date(System.currentTimeMillis() - retentionMs)));
    }
}
