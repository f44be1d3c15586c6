package io.pep.api;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a failure no rule of routes/errors.camel.yaml names: the client gets a short
 * reference, pep's log the whole failure (stack trace included) under that reference.
 */
public class UnexpectedFailures {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedFailures.class);

    /** Logs {@code failure} at ERROR with a new reference; returns the one-line body that names it. */
    public String answer(Throwable failure, String requestPath) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Unexpected failure {} for {}", reference, requestPath, failure);
        return "Internal error (reference " + reference + " in pep's log).\n";
    }
}
