package io.pep.api;

/**
 * A site's pre-provisioning hook cannot decide right now (e.g. the factory MES does not answer):
 * 503 with {@code Retry-After}, nothing written, so the gateway's script simply tries again. Has
 * a message-only constructor so a YAML route can raise it with {@code throwException}.
 */
public class ProvisioningUnavailable extends ApiProblem {

    public static final int RETRY_AFTER_SECONDS = 30;

    public ProvisioningUnavailable(String message) {
        super(503, message, RETRY_AFTER_SECONDS, null);
    }
}
