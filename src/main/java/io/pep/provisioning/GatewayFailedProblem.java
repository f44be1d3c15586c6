package io.pep.provisioning;

import io.pep.injector.GatewayFailure;

/**
 * A provisioning that failed at the gateway, with the kind of failure and what FCC said (its
 * ReturnStatus and InfoMessage, when it answered) kept beside the message: the attempt log and the
 * metrics count by kind and record FCC's status, never by wording.
 */
public class GatewayFailedProblem extends ToolFailed {

    private final transient GatewayFailure kind;
    private final long returnStatus;
    private final String infoMessage;

    GatewayFailedProblem(String message, GatewayFailure kind, long returnStatus, String infoMessage, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.returnStatus = returnStatus;
        this.infoMessage = infoMessage;
    }

    public GatewayFailure kind() {
        return kind;
    }

    /** FCC's ReturnStatus, or -1 when the gateway sent none. */
    public long returnStatus() {
        return returnStatus;
    }

    /** FCC's InfoMessage, or null. */
    public String infoMessage() {
        return infoMessage;
    }
}
