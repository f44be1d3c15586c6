package io.pep.api;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed API exchange into the answer a client gets: status, {@code text/plain} message,
 * and {@code Retry-After} where waiting helps. Used by the shared error route configuration and
 * by routes that catch a failure to clean up before answering.
 */
public class ProblemResponse {

    /** Exchange property a route sets to the failure it wants answered (the attempt log reads it too). */
    public static final String FAILURE = "failure";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponse.class);
    private static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    /**
     * Answers {@code failure} (the caught exception, or the failure a route decided to answer) on
     * {@code exchange}'s message. {@code requestPath} names the request in pep's log; null before
     * the request was captured (then the HTTP path header is used).
     */
    public void answer(Throwable failure, String requestPath, Exchange exchange) {
        String path = requestPath != null ? requestPath : exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        ApiProblem problem = find(failure, ApiProblem.class);
        if (problem != null) {
            if (problem.getStatus() >= 500) {
                LOG.warn("{} {}: {}", problem.getStatus(), path, problem.getMessage());
            }
            write(exchange, problem.getStatus(), problem.getMessage(), problem.getRetryAfterSeconds());
        } else if (isDatabaseUnavailable(failure)) {
            LOG.warn("Database unavailable for {}: {}", path, failure.getMessage());
            write(exchange, 503, "The database is unavailable right now; nothing was changed. Retry in a few"
                    + " seconds (operators: check MONGO_URI and that MongoDB is running).", DATABASE_RETRY_AFTER_SECONDS);
        } else {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Unexpected failure {} for {}", reference, path, failure);
            write(exchange, 500, "Internal error (reference " + reference + " in pep's log).", null);
        }
    }

    static boolean isDatabaseUnavailable(Throwable failure) {
        return find(failure, MongoTimeoutException.class) != null || find(failure, MongoSocketException.class) != null
                || find(failure, MongoNotPrimaryException.class) != null
                || find(failure, MongoNodeIsRecoveringException.class) != null;
    }

    /** The first {@code type} in the cause chain (bean calls wrap what a bean throws). */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        return ObjectHelper.getException(type, failure);
    }

    private static void write(Exchange exchange, int status, String message, Integer retryAfterSeconds) {
        var out = exchange.getMessage();
        ApiRequest.dropInboundHeaders(out);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (retryAfterSeconds != null) {
            out.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        out.setBody(message + "\n");
    }
}
