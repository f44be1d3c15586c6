package io.pep.api;

/**
 * The name site route files of earlier releases use in {@code throwException}; kept so they load
 * unchanged. New files use {@link io.pep.identity.ProvisioningUnavailable}.
 *
 * @deprecated use {@link io.pep.identity.ProvisioningUnavailable}
 */
@Deprecated
public class ProvisioningUnavailable extends io.pep.identity.ProvisioningUnavailable {

    public ProvisioningUnavailable(String message) {
        super(message);
    }
}
