package io.pep.attempts;

import io.pep.identity.QueryParameters;
import java.util.List;
import org.bson.Document;

/**
 * The attempts route's handle on {@link AttemptPage} (the route marshals the answer and sets its
 * headers), and the retention purge's filter.
 */
public class AttemptPages {

    private final long retentionMs;

    public AttemptPages(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    public AttemptPage request(QueryParameters query, String accept) {
        return AttemptPage.of(query, accept);
    }

    /** The attempts found; {@code null} (the store's answer to an empty result) is none. */
    public List<Document> attempts(List<Document> found) {
        return found == null ? List.of() : found;
    }

    /** Attempts older than {@code pep.attempts.retention} (a TTL index does this on MongoDB; the embedded store has none). */
    public Document expired() {
        return new Document("time", new Document("$lt", new java.util.Date(System.currentTimeMillis() - retentionMs)));
    }
}
