package io.pep.api;

/**
 * A site's pre-provisioning hook refusing a gateway (e.g. the factory MES does not know the
 * serial): 403 with the hook's message. Has a message-only constructor so a YAML route can raise
 * it with {@code throwException}.
 */
public class ProvisioningRefused extends ApiProblem {

    public ProvisioningRefused(String message) {
        super(403, message);
    }
}
