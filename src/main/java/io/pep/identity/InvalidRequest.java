package io.pep.identity;

/**
 * A request that breaks a rule (a missing or malformed parameter, a site's serial pattern): the
 * client is told so, with the message, which names the parameter; nothing is written. Has a
 * message-only constructor so a YAML route can raise it with {@code throwException}.
 */
public class InvalidRequest extends RuntimeException {

    public InvalidRequest(String message) {
        super(message);
    }
}
