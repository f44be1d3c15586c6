package io.pep.identity;

/**
 * A site's pre-provisioning hook cannot decide right now (e.g. the factory MES does not answer):
 * nothing written, the gateway's script simply tries again after {@value #RETRY_AFTER_SECONDS} s.
 * Has a message-only constructor so a YAML route can raise it with {@code throwException}.
 */
public class ProvisioningUnavailable extends TryAgainLater {

    public static final int RETRY_AFTER_SECONDS = 30;

    public ProvisioningUnavailable(String message) {
        super(message, RETRY_AFTER_SECONDS, null);
    }
}
