package io.pep.injector;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * Issues device (bootstrap) certificates the way FCU does in {@code by_tool} key mode: a fresh
 * P-256 key per gateway and an X.509 certificate whose subject is exactly {@code CN=<endpoint
 * name>} (UTF8String, the name's bytes as given; FCC compares them byte for byte), signed
 * ecdsa-with-SHA256 by the factory CA, with a random 127-bit serial.
 *
 * <p>Validity: from one minute ago (tolerates a gateway clock slightly behind ours), but never
 * before the CA's notBefore, until the CA's notAfter: a certificate cannot usefully outlive the
 * CA that vouches for it. With a CA that has fewer than 10 years left, FCC accepts the device
 * certificate with a warning. An expired CA is refused here. Nothing is written anywhere.
 *
 * <p>Thread-safe: the only shared state is the immutable CA and a {@link SecureRandom}.
 */
public final class CertificateIssuer {

    private static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(1);

    /**
     * Key generation and signing through BouncyCastle's P-256 (not installed JVM-wide): on JDK 17
     * it is several times faster than SunEC's (measured: key pair 0.3 vs 2.5 ms, see bench/README.md).
     */
    private static final Provider CRYPTO = new BouncyCastleProvider();

    private final CertificateAuthority authority;
    private final Clock clock;
    private final SecureRandom random;

    public CertificateIssuer(CertificateAuthority authority, Clock clock, SecureRandom random) {
        this.authority = authority;
        this.clock = clock;
        this.random = random;
    }

    public CertificateIssuer(CertificateAuthority authority) {
        this(authority, Clock.systemUTC(), new SecureRandom());
    }

    public CertificateAuthority authority() {
        return authority;
    }

    /** A new key and certificate for this endpoint name. */
    public IssuedCredentials issue(String endpointName) {
        if (endpointName == null || endpointName.isEmpty()) {
            throw new IllegalArgumentException("the endpoint name (certificate CN) must not be empty");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant caNotBefore = authority.certificate().getNotBefore().toInstant();
        Instant caNotAfter = authority.certificate().getNotAfter().toInstant();
        if (!caNotAfter.isAfter(now)) {
            throw new IllegalStateException("the factory CA certificate expired on " + caNotAfter);
        }
        Instant notBefore = max(now.minus(CLOCK_SKEW_ALLOWANCE), caNotBefore);
        KeyPair keyPair = newP256KeyPair();
        // the ASN1Encodable overload keeps the name literal (the String overload treats "#…" as hex)
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, new DERUTF8String(endpointName)).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(),
                    new BigInteger(127, random).setBit(126), Date.from(notBefore), Date.from(caNotAfter),
                    subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(authority.certificate().getPublicKey()));
            byte[] certificate = builder
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CRYPTO).setSecureRandom(random)
                            .build(authority.privateKey()))
                    .getEncoded();
            return new IssuedCredentials(keyPair.getPrivate().getEncoded(), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the device certificate failed", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("signing the device certificate failed: " + e.getMessage(), e);
        }
    }

    private KeyPair newP256KeyPair() {
        try {
            // a generator per call: KeyPairGenerator is not thread-safe, and creating one is cheap
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CRYPTO);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
