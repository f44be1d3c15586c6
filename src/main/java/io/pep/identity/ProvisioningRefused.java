package io.pep.identity;

/**
 * A site's pre-provisioning hook refusing a gateway (e.g. the factory MES does not know the
 * serial), with the hook's message. Has a message-only constructor so a YAML route can raise it
 * with {@code throwException}.
 */
public class ProvisioningRefused extends RuntimeException {

    public ProvisioningRefused(String message) {
        super(message);
    }
}
