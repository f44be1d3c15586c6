package io.pep.provisioning;

import io.pep.identity.TryAgainLater;

/** pep is shutting down and stopped a factory tool run; nothing was recorded, the serial can be retried. */
public class ProvisioningInterrupted extends TryAgainLater {

    static final int RETRY_AFTER_SECONDS = 5;

    public ProvisioningInterrupted(String message, Throwable cause) {
        super(message, RETRY_AFTER_SECONDS, cause);
    }
}
