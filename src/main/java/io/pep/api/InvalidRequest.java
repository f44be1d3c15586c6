package io.pep.api;

/**
 * A request a site's rule rejects (e.g. a serial number that does not match the factory's
 * pattern): 400 with the message, which names the parameter. Has a message-only constructor so a
 * YAML route can raise it with {@code throwException}.
 */
public class InvalidRequest extends ApiProblem {

    public InvalidRequest(String message) {
        super(400, message);
    }
}
