package io.pep.provisioning;

import io.pep.identity.TryAgainLater;

/**
 * A retirement whose history entry is written but whose record the store could not remove (it
 * failed in between): answered 503, and pep finishes the retirement by itself once the store is
 * back ({@link Retirements#settlePending}). The store's failure is named in the message, not kept
 * as the cause (its class would out-match this one in routes/errors.camel.yaml).
 */
public class RetireUnfinished extends TryAgainLater {

    public RetireUnfinished(String serialNumber, RuntimeException storeFailure, long settleAfterMs) {
        super("The retirement of '" + serialNumber + "' is in the history but not finished: the store failed ("
                + storeFailure.getMessage() + "). pep finishes it by itself once the store is back (GET"
                + " /v3/identities/history shows it); until then the serial still answers with its old identity.",
                (int) Math.max(1, settleAfterMs / 1000), null);
    }
}
