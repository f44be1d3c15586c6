package io.pep.provisioning;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import io.pep.api.ProblemResponse;
import java.util.List;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The MongoDB side of a provisioning attempt: the reservation (a {@code deployed=false} record
 * whose unique serial blocks concurrent duplicates), its promotion to deployed, its removal.
 * Every write addresses the record by {@code _id}, which every store indexes.
 */
public class Reservations {

    private final long staleAfterMs;

    public Reservations(long staleAfterMs) {
        this.staleAfterMs = staleAfterMs;
    }

    /** For a failed write: 409 when it was the reservation of a serial that exists, otherwise the error as is. */
    public Throwable conflict(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        MongoWriteException write = ProblemResponse.find(caught, MongoWriteException.class);
        if (write != null && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
            IdentityRequest request = exchange.getProperty("request", IdentityRequest.class);
            return KnownSerials.conflict(request.getSerialNumber());
        }
        return caught;
    }

    public Bson byId(Document record) {
        return new Document("_id", record.get("_id"));
    }

    /** [filter, update] that marks the reservation deployed; also updates {@code record} for the answer. */
    public List<Bson> deployed(Document record, String enrollmentId) {
        record.append("deployed", true).append("enrollmentID", enrollmentId);
        return List.of(byId(record), new Document("$set",
                new Document("deployed", true).append("enrollmentID", enrollmentId)));
    }

    /** Reservations left by a crashed or killed run, old enough that no live run can own them. */
    public Bson stale() {
        return new Document("deployed", false)
                .append("createdAt", new Document("$lt", System.currentTimeMillis() - staleAfterMs));
    }
}
