package io.pep.injector;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/** Self-signed certificates with chosen dates, keys and signatures, for the certificate checks' tests. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** The DER of a self-signed EC certificate valid for a year up to {@code notAfter}. */
    public static byte[] validUntil(String commonName, Instant notAfter) {
        return selfSigned(commonName, "EC", "secp256r1", "SHA256withECDSA",
                notAfter.minus(365, ChronoUnit.DAYS), notAfter);
    }

    /**
     * The DER of a self-signed certificate with a key of {@code keyAlgorithm} ("EC" on {@code curve},
     * or "RSA" of 2048 bits, curve ignored), signed with {@code signatureAlgorithm}, valid in [notBefore, notAfter].
     */
    public static byte[] selfSigned(String commonName, String keyAlgorithm, String curve, String signatureAlgorithm,
                                    Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            if ("EC".equals(keyAlgorithm)) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else {
                generator.initialize(2048);
            }
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            return new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(notAfter.getEpochSecond()),
                    Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** Update-auth certificates the real FCC cannot parse, by what is wrong with each. */
    public static java.util.Map<String, byte[]> unparseableByFcc() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = now.minus(1, ChronoUnit.DAYS);
        Instant until = now.plus(3650, ChronoUnit.DAYS);
        return java.util.Map.of(
                "RSA key", selfSigned("update", "RSA", null, "SHA256withRSA", from, until),
                "EC key signed with SHA-384", selfSigned("update", "EC", "secp256r1", "SHA384withECDSA", from, until),
                "EC key on P-384", selfSigned("update", "EC", "secp384r1", "SHA256withECDSA", from, until));
    }

    /** A good update-auth certificate whose validity starts {@code days} from now. */
    public static byte[] validFromDaysAhead(String commonName, long days) {
        Instant from = Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        return selfSigned(commonName, "EC", "secp256r1", "SHA256withECDSA", from, from.plus(3650, ChronoUnit.DAYS));
    }

    public static byte[] expiredDaysAgo(String commonName, long days) {
        return validUntil(commonName, Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }

    public static byte[] expiringInDays(String commonName, long days) {
        return validUntil(commonName, Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }
}
