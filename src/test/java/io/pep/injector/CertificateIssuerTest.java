package io.pep.injector;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device certificates issued with the factory CA; the config folder itself is {@link FcuConfigTest}'s. */
class CertificateIssuerTest extends DevelopmentConfigFixture {

    @Test
    void certificateTimesAreEncodedAsBouncyCastlesDateConstructorEncodesThem() throws Exception {
        for (String when : List.of("2026-12-08T01:02:03Z", "1950-01-01T00:00:00Z", "2049-12-31T23:59:59Z",
                "2050-01-01T00:00:00Z", "2126-06-30T12:30:45Z", "2026-12-08T01:02:03.999Z")) {
            java.time.Instant instant = java.time.Instant.parse(when);
            var expected = new org.bouncycastle.asn1.x509.Time(java.util.Date.from(
                    instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            assertArrayEquals(expected.getEncoded(), CertificateIssuer.x509Time(instant).getEncoded(), when);
        }
    }

    @Test
    void deviceKeysAreEncodedAsBouncyCastlesProviderEncodesThem() throws Exception {
        // the key pair is made without a JCA provider: its PKCS#8 and public key must be the bytes
        // the provider wrote (SEC1 inside with the named curve and the public key), and readable by the JDK
        var provider = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        for (int i = 0; i < 20; i++) {
            P256.EncodedKeyPair pair = P256.newKeyPair(new java.security.SecureRandom());
            var spec = new java.security.spec.PKCS8EncodedKeySpec(pair.privateKeyInfo());
            assertArrayEquals(java.security.KeyFactory.getInstance("EC", provider).generatePrivate(spec).getEncoded(),
                    pair.privateKeyInfo());
            var publicKey = java.security.KeyFactory.getInstance("EC").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(pair.publicKeyInfo().getEncoded()));
            assertArrayEquals(java.security.KeyFactory.getInstance("EC", provider).generatePublic(
                    new java.security.spec.X509EncodedKeySpec(publicKey.getEncoded())).getEncoded(),
                    pair.publicKeyInfo().getEncoded());
            assertTrue(EcPrivateKeys.belongsTo(pair.privateKeyInfo(), publicKey));
            java.security.KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    @Test
    void issuedCertificateChainsToTheFactoryCa() throws Exception {
        IssuedCredentials issued = new CertificateIssuer(config.authority()).issue("gw-0001");
        X509Certificate certificate = CertificateAuthority.parseDer(issued.certificateDer());
        X509Certificate ca = config.authority().certificate();

        certificate.verify(ca.getPublicKey()); // throws unless the CA signed it
        assertEquals("1.2.840.10045.4.3.2", certificate.getSigAlgOID(), "ecdsa-with-SHA256");
        assertEquals(ca.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertEquals("CN=gw-0001", certificate.getSubjectX500Principal().getName());
        assertFalse(certificate.getNotBefore().before(ca.getNotBefore()), "never valid before its CA");
        assertEquals(ca.getNotAfter(), certificate.getNotAfter(), "expires with its CA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage(), "clientAuth");
        assertTrue(EcPrivateKeys.belongsTo(issued.privateKeyDer(), certificate.getPublicKey()));
        assertTrue(issued.enrollmentId().matches("A-([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }

    @Test
    void commonNameKeepsTheEndpointNameExactly() throws Exception {
        for (String name : List.of("#hash-first", "Ünïcode gw 01", "a+b,c=d", " spaced ")) {
            IssuedCredentials issued = new CertificateIssuer(config.authority()).issue(name);
            X509Certificate certificate = CertificateAuthority.parseDer(issued.certificateDer());
            var cn = org.bouncycastle.asn1.x500.X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
                    .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)[0].getFirst().getValue();
            assertEquals(name, cn.toString());
            assertTrue(cn instanceof org.bouncycastle.asn1.DERUTF8String);
        }
    }

    @Test
    void everyCallGetsAFreshKeyAndSerial() {
        CertificateIssuer issuer = new CertificateIssuer(config.authority());
        IssuedCredentials first = issuer.issue("same");
        IssuedCredentials second = issuer.issue("same");
        assertFalse(java.util.Arrays.equals(first.privateKeyDer(), second.privateKeyDer()));
        assertFalse(first.enrollmentId().equals(second.enrollmentId()));
    }

    @Test
    void refusesToIssueFromAnExpiredCa() {
        Clock future = Clock.fixed(config.authority().certificate().getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC);
        CertificateIssuer issuer = new CertificateIssuer(config.authority(), future, new java.security.SecureRandom());
        assertThrows(IllegalStateException.class, () -> issuer.issue("late"));
    }

    @Test
    void utcOffsetIsSignedHoursAndMinutes() {
        assertEquals("+00:00", Injector.utcOffset(ZoneOffset.UTC));
        assertEquals("+05:30", Injector.utcOffset(ZoneOffset.ofHoursMinutes(5, 30)));
        assertEquals("-03:30", Injector.utcOffset(ZoneOffset.ofHoursMinutes(-3, -30)));
        assertEquals("-00:30", Injector.utcOffset(ZoneOffset.ofHoursMinutes(0, -30)));
        assertEquals("+14:00", Injector.utcOffset(ZoneOffset.ofHours(14)));
        assertEquals("-12:00", Injector.utcOffset(ZoneOffset.ofHours(-12)));
    }

    /**
     * The issuer keeps what it derives from the CA (signing key, name, key identifier) across calls
     * and threads: every certificate of one shared issuer must still verify against the CA with the
     * JDK's own provider, carry the CA's key identifier, and get its own signature.
     */
    @Test
    void oneIssuerSharedByThreadsSignsEveryCertificateVerifiably() throws Exception {
        CertificateIssuer issuer = new CertificateIssuer(config.authority());
        X509Certificate ca = config.authority().certificate();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<IssuedCredentials>> issued = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String name = "gw-" + i;
                issued.add(pool.submit(() -> issuer.issue(name)));
            }
            java.util.Set<String> signatures = new java.util.HashSet<>();
            byte[] caKeyId = org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(ca.getExtensionValue("2.5.29.14")).getOctets())
                    .getKeyIdentifier();
            for (int i = 0; i < issued.size(); i++) {
                IssuedCredentials credentials = issued.get(i).get();
                X509Certificate certificate = CertificateAuthority.parseDer(credentials.certificateDer());
                certificate.verify(ca.getPublicKey(), "SunEC");
                assertEquals("CN=gw-" + i, certificate.getSubjectX500Principal().getName());
                assertArrayEquals(ca.getSubjectX500Principal().getEncoded(), certificate.getIssuerX500Principal().getEncoded());
                byte[] authorityKeyId = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                        org.bouncycastle.asn1.ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.35")).getOctets())
                        .getKeyIdentifier();
                assertArrayEquals(caKeyId, authorityKeyId);
                assertTrue(signatures.add(java.util.HexFormat.of().formatHex(certificate.getSignature())));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** notBefore follows the clock from one certificate to the next (it is reused only within a second). */
    @Test
    void notBeforeFollowsTheClockBetweenCertificates() throws Exception {
        java.time.Instant start = config.authority().certificate().getNotBefore().toInstant().plusSeconds(3600);
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic.AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        CertificateIssuer issuer = new CertificateIssuer(config.authority(), clock, new java.security.SecureRandom());
        for (long seconds : new long[] {0, 0, 7, 7, 3600}) {
            now.set(start.plusSeconds(seconds).plusMillis(400));
            X509Certificate certificate = CertificateAuthority.parseDer(issuer.issue("clock").certificateDer());
            assertEquals(start.plusSeconds(seconds - 60), certificate.getNotBefore().toInstant(),
                    "one minute before the clock's second, at +" + seconds + " s");
        }
    }
}
