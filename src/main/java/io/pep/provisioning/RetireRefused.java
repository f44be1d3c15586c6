package io.pep.provisioning;

/**
 * A retirement pep will not make now: the serial is being provisioned right now (its new identity is
 * not recorded yet), or its identity was retired already (the message says when).
 */
public class RetireRefused extends RuntimeException {

    public RetireRefused(String message) {
        super(message);
    }
}
