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

/** Self-signed P-256 certificates with chosen dates, for expiry tests. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** The DER of a self-signed EC certificate valid for a year up to {@code notAfter}. */
    public static byte[] validUntil(String commonName, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            return new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(notAfter.getEpochSecond()),
                    Date.from(notAfter.minus(365, ChronoUnit.DAYS)), Date.from(notAfter), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    public static byte[] expiredDaysAgo(String commonName, long days) {
        return validUntil(commonName, Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }

    public static byte[] expiringInDays(String commonName, long days) {
        return validUntil(commonName, Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }
}
