package io.pep.provisioning;

import io.pep.identity.TryAgainLater;

/** Every factory tool slot stayed in use for the whole bounded wait; nothing was recorded. */
public class ProvisioningBusy extends TryAgainLater {

    public ProvisioningBusy(int retryAfterSeconds) {
        super("pep is busy: all factory tool slots are in use; nothing was recorded. Retry in " + retryAfterSeconds
                + " s.", retryAfterSeconds, null);
    }
}
