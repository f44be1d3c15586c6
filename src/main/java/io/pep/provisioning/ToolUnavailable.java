package io.pep.provisioning;

/**
 * No factory tool can run: none is configured, or it could not be started. Nothing was recorded;
 * asking again helps only once an operator fixed the set-up, so no time to retry is given.
 */
public class ToolUnavailable extends RuntimeException {

    public ToolUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
