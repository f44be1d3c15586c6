package io.pep.export;

import com.mongodb.MongoException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.ConnectException;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.RuntimeCamelException;

/**
 * Why an export run failed, in the operator's words: Camel's wrappers ("Multicast processing
 * failed for number 0. Exchange[…]") are peeled off down to the failure that says what happened,
 * and the sentence names the part that failed — the store, the portal or the drop folder (share) —
 * with the setting that governs it.
 */
public final class Sentences {

    private Sentences() {
    }

    public static String of(Throwable failure) {
        return of(failure, null);
    }

    /** @param action what pep was asking the portal when it failed (e.g. "the bulk upload"), or null */
    public static String of(Throwable failure, String action) {
        Throwable cause = root(failure);
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof PortalCallFailed || cause instanceof DropFolder.DropFailed) {
            return cause.getMessage();
        }
        if (cause instanceof MongoException) {
            // the store, not the portal: whatever pep was asking the portal at the time
            return isTimeout(cause)
                    ? "the store did not answer in time (" + cause.getMessage() + "; pep.mongo.timeout-ms, MONGO_URI)"
                    : "the store failed (" + cause.getMessage() + "; MONGO_URI, or the embedded store under pep.data.dir)";
        }
        String what = action == null ? "a request" : action;
        if (isTimeout(cause)) {
            return "the portal did not answer " + what + " in time (" + cause.getMessage() + "; pep.portal.response-timeout)";
        }
        if (cause instanceof ConnectException || cause instanceof java.net.UnknownHostException) {
            return "the portal could not be reached for " + what + " (" + cause.getMessage() + "; pep.portal.url)";
        }
        if (cause instanceof IOException) {
            return "the connection to the portal broke during " + what + " (" + cause.getMessage() + ")";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static boolean isTimeout(Throwable cause) {
        return cause instanceof SocketTimeoutException || cause.getClass().getSimpleName().contains("Timeout");
    }

    /** The innermost failure below Camel's own wrappers. */
    static Throwable root(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof CamelExchangeException || cause instanceof RuntimeCamelException
                        || cause.getClass().getName().startsWith("org.apache.camel.")
                        || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        return cause;
    }
}
