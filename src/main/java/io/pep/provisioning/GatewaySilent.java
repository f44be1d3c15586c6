package io.pep.provisioning;

import io.pep.injector.GatewayFailure;

/** The gateway's factory client took the connection but never answered: like a tool timeout. */
public class GatewaySilent extends GatewayFailedProblem {

    GatewaySilent(String message, Throwable cause) {
        super(message, GatewayFailure.SILENT, -1, null, cause);
    }
}
