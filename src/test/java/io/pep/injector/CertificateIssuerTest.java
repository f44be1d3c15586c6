package io.pep.injector;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
class CertificateIssuerTest {

    @TempDir
    static Path temp;
    static Path folder;
    static FcuConfig config;

    @BeforeAll
    static void developmentConfig() throws Exception {
        folder = temp.resolve("fcu-config");
        assertTrue(DevelopmentConfig.createIfAbsent(folder).created());
        config = FcuConfig.load(folder, Map.of());
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
    }
}
