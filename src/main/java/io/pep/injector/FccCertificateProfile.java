package io.pep.injector;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * The one kind of certificate the gateways' factory client (FCC, mbed-cloud-client's key and
 * configuration manager) can parse: an EC key on the P-256 curve, signed with ECDSA over SHA-256.
 * An update-auth certificate with an RSA key, or signed with SHA-384 (keytool's default for EC keys
 * on newer JDKs), makes the real FCC refuse every gateway with ReturnStatus 18
 * {@code General error:mbed.UpdateAuthCert}; pep checks it at start and its simulator refuses alike.
 */
public final class FccCertificateProfile {

    /** ecdsa-with-SHA256 (RFC 5758). */
    public static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final ECParameterSpec P256 = p256();

    /** The InfoMessage prefix the real FCC sends for a certificate its crypto layer cannot parse. */
    public static final String UNPARSEABLE_TEXT = "General error";
    /** The warning the real FCC sends for a certificate that is not valid yet at the gateway's CurrentTime. */
    public static final String NOT_YET_VALID_WARNING = "Certificate validity cannot be checked";

    private FccCertificateProfile() {
    }

    /** What keeps FCC from using {@code certificate}, in words, or empty when it fits. */
    public static Optional<String> mismatch(X509Certificate certificate) {
        PublicKey key = certificate.getPublicKey();
        if (!(key instanceof ECPublicKey ec)) {
            return Optional.of("has an " + key.getAlgorithm() + " key; FCC needs an EC key on the P-256 curve (prime256v1)");
        }
        if (!onP256(ec.getParams())) {
            return Optional.of("has an EC key on another curve than P-256 (prime256v1), which FCC needs");
        }
        if (!ECDSA_WITH_SHA256.equals(certificate.getSigAlgOID())) {
            return Optional.of("is signed with " + certificate.getSigAlgName()
                    + "; FCC needs ECDSA with SHA-256 (openssl x509 -sha256, keytool -sigalg SHA256withECDSA)");
        }
        return Optional.empty();
    }

    /** True when {@code certificate}'s notBefore is after {@code now}. */
    public static boolean notYetValid(X509Certificate certificate, Instant now) {
        return certificate.getNotBefore().toInstant().isAfter(now);
    }

    private static boolean onP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve()) && params.getOrder().equals(P256.getOrder())
                && params.getGenerator().equals(P256.getGenerator());
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM knows no P-256 curve", e);
        }
    }
}
