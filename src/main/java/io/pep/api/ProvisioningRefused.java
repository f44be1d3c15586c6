package io.pep.api;

/**
 * The name site route files of earlier releases use in {@code throwException}; kept so they load
 * unchanged. New files use {@link io.pep.identity.ProvisioningRefused}.
 *
 * @deprecated use {@link io.pep.identity.ProvisioningRefused}
 */
@Deprecated
public class ProvisioningRefused extends io.pep.identity.ProvisioningRefused {

    public ProvisioningRefused(String message) {
        super(message);
    }
}
