package io.pep.injector;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FCU config folder read by pep's injector ({@link FcuConfig#load}): layout, modes, ids, certificate dates. */
class FcuConfigTest extends DevelopmentConfigFixture {

    @Test
    void developmentConfigIsCompleteAndMarkedUntrusted() throws Exception {
        assertEquals(DevelopmentConfig.BOOTSTRAP_URI, config.bootstrapServerUri());
        assertEquals(16, config.vendorId().length);
        assertEquals(16, config.classId().length);
        assertTrue(config.updateAuthCertificate().length > 0);
        assertEquals("pep-development", config.deviceInfo().manufacturer());
        assertEquals(1048576, config.deviceInfo().memoryTotalKb());
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
        assertTrue(Files.readString(folder.resolve("fcu.yml")).contains("NOT TRUSTED BY ANY CLOUD"));
        DevelopmentConfig.Outcome again = DevelopmentConfig.createIfAbsent(folder);
        assertFalse(again.created(), "an existing config is left alone");
        assertTrue(again.notice().contains("not trusted by any cloud"));
    }

    @Test
    void vendorAndClassIdsAreTheUuidBytes() throws Exception {
        assertArrayEquals(new byte[]{0x50, 0x65, 0x70, 0x2d, 0x64, 0x65, 0x76, 0x00,
                (byte) 0x80, 0, 0, 0, 0, 0, 0, 1}, config.vendorId());
    }

    @Test
    void acceptsASec1CaKeyAfterOpensslsEcParametersBlock() throws Exception {
        Path copy = copyOfConfig("sec1");
        String pkcs8Pem = Files.readString(copy.resolve(FcuConfig.CA_PRIVATE_KEY));
        byte[] pkcs8 = java.util.Base64.getMimeDecoder().decode(pkcs8Pem.replaceAll("-----[A-Z ]+-----", ""));
        // what `openssl ecparam -genkey -name prime256v1` writes: SEC1 with the curve, no public key
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, EcPrivateKeys.scalarOf(pkcs8),
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1).getEncoded();
        String sec1Pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(sec1)
                + "\n-----END EC PRIVATE KEY-----\n";
        Files.writeString(copy.resolve(FcuConfig.CA_PRIVATE_KEY), sec1Pem);
        FcuConfig loaded = FcuConfig.load(copy, Map.of());
        X509Certificate issued = CertificateAuthority.parseDer(
                new CertificateIssuer(loaded.authority()).issue("sec1").certificateDer());
        issued.verify(loaded.authority().certificate().getPublicKey());
    }

    @Test
    void missingFilesAndKeysAreNamed() throws Exception {
        assertMessage(temp.resolve("nowhere"), "does not exist");

        Path noCa = copyOfConfig("no-ca");
        Files.delete(noCa.resolve(FcuConfig.CA_CERTIFICATE));
        assertMessage(noCa, "keystore/CA_cert.pem");

        Path noYml = copyOfConfig("no-yml");
        Files.delete(noYml.resolve("fcu.yml"));
        assertMessage(noYml, "fcu.yml");

        Path noBootstrapCa = copyOfConfig("no-bootstrap-ca");
        Files.delete(noBootstrapCa.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE));
        assertMessage(noBootstrapCa, "bootstrap-server-ca-certificate.der");

        assertMessage(editedYml("no-manufacturer", "  manufacturer: pep-development\n", ""),
                "device-info.manufacturer is missing");
        assertMessage(editedYml("bad-vendor", "vendor-id: " + DevelopmentConfig.VENDOR_ID, "vendor-id: 42"),
                "vendor-id must be a UUID");
        assertMessage(editedYml("broken-yaml", "device-info:", "device-info: [unclosed"), "not valid YAML");
    }

    @Test
    void unsupportedModesAreRefusedByName() throws Exception {
        assertMessage(editedYml("ftc-off", "first-to-claim: true", "first-to-claim: false"),
                "first-to-claim: false is not supported");
        assertMessage(editedYml("external-keys", "device-key-generation-mode: by_tool",
                "device-key-generation-mode: externally_supplied"), "device-key-generation-mode");
        assertMessage(editedYml("no-bootstrap", "use-bootstrap: true\n", ""), "use-bootstrap is missing");
        assertMessage(editedYml("aid-uri", DevelopmentConfig.BOOTSTRAP_URI, DevelopmentConfig.BOOTSTRAP_URI + "?aid=1"),
                "must not contain aid=");
        assertMessage(editedYml("http-uri", DevelopmentConfig.BOOTSTRAP_URI, "https://x"), "coap://");
    }

    @Test
    void missingUpdateCertificateAndIdsOnlyWarn() throws Exception {
        Path copy = editedYml("lean", "vendor-id: " + DevelopmentConfig.VENDOR_ID + "\n", "");
        Files.delete(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE));
        FcuConfig lean = FcuConfig.load(copy, Map.of());
        assertNull(lean.updateAuthCertificate());
        assertNull(lean.vendorId());
        assertEquals(2, lean.warnings().size(), lean.warnings().toString());
    }

    @Test
    void erbEnvironmentExpressionsAreExpanded() throws Exception {
        Path resources = temp.resolve("fcu-resources");
        Files.createDirectories(resources);
        Files.copy(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), resources.resolve("custom.der"));
        Path copy = editedYml("erb", "update-auth-certificate-file: <%= ENV['FCU_RESOURCES_DIR'] %>/update-auth-certificate.der",
                "update-auth-certificate-file: <%= ENV['FCU_RESOURCES_DIR'] %>/custom.der");
        Files.delete(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE));
        FcuConfig loaded = FcuConfig.load(copy, Map.of("FCU_RESOURCES_DIR", resources.toString()));
        assertArrayEquals(Files.readAllBytes(resources.resolve("custom.der")), loaded.updateAuthCertificate());
    }


    @Test
    void anExpiredUpdateAuthCertificateIsRefusedLikeTheRealFccWould() throws Exception {
        Path copy = copyOfConfig("update-expired");
        Files.write(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.expiredDaysAgo("update", 3));
        FcuConfigException e = assertThrows(FcuConfigException.class, () -> FcuConfig.load(copy, Map.of()));
        assertTrue(e.getMessage().contains(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE)
                + ": the update-auth certificate expired on "), e.getMessage());
        assertTrue(e.getMessage().contains("ReturnStatus 13 Certificate expired:mbed.UpdateAuthCert"), e.getMessage());
    }

    @Test
    void anExpiredBootstrapServerCaIsRefused() throws Exception {
        Path copy = copyOfConfig("bootstrap-expired");
        Files.write(copy.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE), TestCertificates.expiredDaysAgo("bs", 1));
        FcuConfigException e = assertThrows(FcuConfigException.class, () -> FcuConfig.load(copy, Map.of()));
        assertTrue(e.getMessage().contains("the bootstrap server CA certificate expired on "), e.getMessage());
    }

    @Test
    void everyExpiredCertificateIsNamedInOneMessage() throws Exception {
        Path copy = copyOfConfig("both-expired");
        Files.write(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.expiredDaysAgo("update", 3));
        Files.write(copy.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE), TestCertificates.expiredDaysAgo("bs", 3));
        FcuConfigException e = assertThrows(FcuConfigException.class, () -> FcuConfig.load(copy, Map.of()));
        assertEquals(2, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aCertificateCloseToExpiryWarnsWithItsDate() throws Exception {
        Path copy = copyOfConfig("update-soon");
        byte[] soon = TestCertificates.expiringInDays("update", 10);
        Files.write(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), soon);
        LocalDate date = LocalDate.ofInstant(CertificateAuthority.parseDer(soon).getNotAfter().toInstant(), ZoneOffset.UTC);

        FcuConfig loaded = FcuConfig.load(copy, Map.of());
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        String warning = loaded.warnings().get(0);
        assertTrue(warning.contains("the update-auth certificate expires on " + date + ", in 9 day(s)")
                || warning.contains("the update-auth certificate expires on " + date + ", in 10 day(s)"), warning);
        assertEquals("FCU configuration valid until " + date + " (" + warning.replaceAll(".*, in (\\d+) day.*", "$1")
                + " days): update-auth certificate", loaded.validitySummary(java.time.Instant.now()));

        assertEquals(List.of(), FcuConfig.load(copy, Map.of(CertificateValidity.WARNING_DAYS_VARIABLE, "5")).warnings(),
                "the warning period is a setting");
        assertMessage(copy, Map.of(CertificateValidity.WARNING_DAYS_VARIABLE, "soon"), "whole number of days");
    }

    @Test
    void aFreshDevelopmentConfigIsValidForDecadesWithoutWarnings() {
        assertEquals(List.of(), config.warnings());
        String summary = config.validitySummary(java.time.Instant.now());
        assertTrue(summary.matches("FCU configuration valid until \\d{4}-\\d{2}-\\d{2} \\(109\\d\\d days\\): "
                + "update-auth certificate"), summary);
    }

    private static void assertMessage(Path configFolder, String expected) {
        assertMessage(configFolder, Map.of(), expected);
    }

    private static void assertMessage(Path configFolder, Map<String, String> environment, String expected) {
        FcuConfigException e = assertThrows(FcuConfigException.class, () -> FcuConfig.load(configFolder, environment));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should mention '" + expected + "'");
    }

    private static Path editedYml(String name, String from, String to) throws Exception {
        Path copy = copyOfConfig(name);
        String yml = Files.readString(copy.resolve("fcu.yml"));
        assertTrue(yml.contains(from), "fixture text not found: " + from);
        Files.writeString(copy.resolve("fcu.yml"), yml.replace(from, to), StandardCharsets.UTF_8);
        return copy;
    }

    private static Path copyOfConfig(String name) throws Exception {
        Path copy = temp.resolve(name);
        try (var files = Files.walk(folder)) {
            for (Path source : files.toList()) {
                Files.copy(source, copy.resolve(folder.relativize(source).toString()));
            }
        }
        return copy;
    }

    @Test
    void anUpdateAuthCertificateTheFccCannotParseStopsTheStartNamingTheFileAndWhatFccNeeds() throws Exception {
        for (var unusable : TestCertificates.unparseableByFcc().entrySet()) {
            Path copy = copyOfConfig("update-" + unusable.getKey().replace(' ', '-'));
            Files.write(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), unusable.getValue());
            FcuConfigException e = assertThrows(FcuConfigException.class, () -> FcuConfig.load(copy), unusable.getKey());
            assertTrue(e.getMessage().startsWith(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE) + ": the update-auth certificate "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("ReturnStatus 18 General error:mbed.UpdateAuthCert"), e.getMessage());
            assertTrue(e.getMessage().contains(unusable.getKey().startsWith("EC key signed") ? "ECDSA with SHA-256" : "P-256"),
                    unusable.getKey() + ": " + e.getMessage());
        }
    }

    @Test
    void anUpdateAuthCertificateNotYetValidWarnsAtStart() throws Exception {
        Path copy = copyOfConfig("update-future");
        Files.write(copy.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.validFromDaysAhead("update", 3));
        FcuConfig loaded = FcuConfig.load(copy);
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        assertTrue(loaded.warnings().get(0).contains("is not valid before"), loaded.warnings().get(0));
        assertTrue(loaded.warnings().get(0).contains("Certificate validity cannot be checked:mbed.UpdateAuthCert"),
                loaded.warnings().get(0));
    }
}
