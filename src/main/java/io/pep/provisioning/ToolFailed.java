package io.pep.provisioning;

/**
 * A provisioning that failed in the factory tool or at the gateway (the original answered every
 * failed injection alike: SPEC §1); the message says which and what to check. The reservation is
 * removed, so the same serial can be retried.
 */
public class ToolFailed extends RuntimeException {

    public ToolFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
