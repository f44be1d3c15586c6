package io.pep.provisioning;

import io.pep.api.ApiProblem;
import io.pep.injector.GatewayFailure;

/**
 * The answer to a provisioning that failed at the gateway, with the kind of failure kept beside the
 * message: the attempt log and the metrics count by kind, never by wording.
 */
public class GatewayFailedProblem extends ApiProblem {

    private final transient GatewayFailure kind;

    GatewayFailedProblem(int status, String message, GatewayFailure kind, Throwable cause) {
        super(status, message, null, cause);
        this.kind = kind;
    }

    public GatewayFailure kind() {
        return kind;
    }
}
