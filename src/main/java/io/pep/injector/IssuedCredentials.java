package io.pep.injector;

import io.pep.identity.EnrollmentId;

/**
 * A freshly issued device identity: the PKCS#8 DER private key and the DER certificate. Lives
 * in memory only, for the time of one injection.
 */
public record IssuedCredentials(byte[] privateKeyDer, byte[] certificateDer) {

    public String enrollmentId() {
        return EnrollmentId.ofCertificate(certificateDer);
    }
}
