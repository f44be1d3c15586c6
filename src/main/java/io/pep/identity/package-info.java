/**
 * A gateway's identity: the record's public views (the identity JSON, the enrollment CSV), the
 * enrollment id, and the ways a request about an identity can be refused ({@link
 * io.pep.identity.InvalidRequest}, {@link io.pep.identity.NotFound}, a site's {@link
 * io.pep.identity.ProvisioningRefused}, {@link io.pep.identity.TryAgainLater}). No HTTP here:
 * {@code routes/errors.camel.yaml} says which status each failure is answered with. Depends on no
 * other pep package, so every capability (and the injector) can use it without a cycle.
 */
package io.pep.identity;
