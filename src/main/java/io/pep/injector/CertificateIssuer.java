package io.pep.injector;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

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
 * <p>Thread-safe: the shared state is the immutable CA (and what is derived from it once: its
 * name, key identifier, signing key and notAfter), a {@link SecureRandom}, and the last notBefore.
 *
 * <p>Per-certificate CPU matters at provisioning rates: the CA key is converted to
 * BouncyCastle's lightweight form <b>once</b>, on the same P-256 domain as the device keys
 * ({@link P256}), so the precomputed multiples of the curve's base point are reused by every key
 * pair and signature. Through the JCA, BC re-derived the domain parameters from the key on every
 * {@code initSign} and rebuilt that table (bench/notes/history.md has the share of CPU it took).
 * The signature itself is unchanged: ecdsa-with-SHA256, random k from {@code random}, DER-encoded (r, s).
 */
public final class CertificateIssuer {

    private static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(1);

    /** ecdsa-with-SHA256, without parameters (RFC 5758); named directly, not looked up in BC's tables of every algorithm. */
    private static final AlgorithmIdentifier SIGNATURE_ALGORITHM = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final AlgorithmIdentifier DIGEST_ALGORITHM = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);

    private final CertificateAuthority authority;
    private final Clock clock;
    private final SecureRandom random;
    // derived from the CA once (see the class comment)
    private final X500Name issuerName;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    private final AsymmetricKeyParameter signingKey;
    private final Instant caNotBefore;
    private final Instant caNotAfter;
    private final Time notAfterTime;
    /** The notBefore of the last certificate: all issued within one second share it (formatting it costs). */
    private volatile IssueSecond lastSecond;

    private record IssueSecond(Instant notBefore, Time time) {
    }

    public CertificateIssuer(CertificateAuthority authority, Clock clock, SecureRandom random) {
        this.authority = authority;
        this.clock = clock;
        this.random = random;
        this.issuerName = X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
        this.caNotBefore = authority.certificate().getNotBefore().toInstant();
        this.caNotAfter = authority.certificate().getNotAfter().toInstant();
        this.notAfterTime = x509Time(caNotAfter);
        try {
            this.authorityKeyIdentifier = new JcaX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(authority.certificate().getPublicKey());
            AsymmetricKeyParameter p256 = authority.privateKey() instanceof ECPrivateKey ec ? P256.signingKey(ec) : null;
            this.signingKey = p256 != null ? p256 : PrivateKeyFactory.createKey(authority.privateKey().getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the factory CA key cannot be used for signing: " + e.getMessage(), e);
        }
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
        if (!caNotAfter.isAfter(now)) {
            throw new IllegalStateException("the factory CA certificate expired on " + caNotAfter);
        }
        Instant notBefore = max(now.minus(CLOCK_SKEW_ALLOWANCE), caNotBefore);
        P256.EncodedKeyPair keyPair = P256.newKeyPair(random);
        // the ASN1Encodable overload keeps the name literal (the String overload treats "#…" as hex)
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, new DERUTF8String(endpointName)).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName,
                    new BigInteger(127, random).setBit(126), notBeforeTime(notBefore), notAfterTime,
                    subject, keyPair.publicKeyInfo())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keyPair.publicKeyInfo()))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            byte[] certificate = builder
                    .build(new BcECContentSignerBuilder(SIGNATURE_ALGORITHM, DIGEST_ALGORITHM).setSecureRandom(random)
                            .build(signingKey))
                    .getEncoded();
            return new IssuedCredentials(keyPair.privateKeyInfo(), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the device certificate failed", e);
        } catch (NoSuchAlgorithmException | OperatorCreationException e) {
            throw new IllegalStateException("signing the device certificate failed: " + e.getMessage(), e);
        }
    }

    private Time notBeforeTime(Instant notBefore) {
        IssueSecond last = lastSecond;
        if (last == null || !last.notBefore().equals(notBefore)) {
            last = new IssueSecond(notBefore, x509Time(notBefore));
            lastSecond = last;
        }
        return last.time();
    }

    /**
     * An X.509 time as RFC 5280 wants it (UTCTime through 2049, GeneralizedTime from 2050), as BC's
     * {@code new Time(Date)} makes it, but without the SimpleDateFormat and locale data that costs a
     * cold JVM: the DER is written from the UTC fields and read back.
     */
    static Time x509Time(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        int year = utc.getYear();
        boolean utcTime = year >= 1950 && year <= 2049;
        StringBuilder text = new StringBuilder(15);
        if (utcTime) {
            twoDigits(text, year % 100);
        } else {
            text.append(year);
        }
        twoDigits(text, utc.getMonthValue());
        twoDigits(text, utc.getDayOfMonth());
        twoDigits(text, utc.getHour());
        twoDigits(text, utc.getMinute());
        twoDigits(text, utc.getSecond());
        text.append('Z');
        byte[] der = new byte[text.length() + 2];
        der[0] = (byte) (utcTime ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length();
        for (int i = 0; i < text.length(); i++) {
            der[i + 2] = (byte) text.charAt(i);
        }
        try {
            return Time.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a certificate time failed", e);
        }
    }

    private static void twoDigits(StringBuilder text, int value) {
        text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
