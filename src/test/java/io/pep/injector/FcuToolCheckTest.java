package io.pep.injector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.apache.camel.main.Main;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The start-up check of the FCU config folder for the vendor's tool (rules of fcu-config-validator.sh). */
class FcuToolCheckTest {

    @Test
    void aCompleteFolderPasses() throws Exception {
        FcuToolCheck.Findings findings = FcuToolCheck.check(goodFolder());
        assertEquals(List.of(), findings.problems());
        assertEquals(List.of(), findings.warnings());
    }

    @Test
    void everyMissingFileIsListedInOneMessage() throws Exception {
        Path empty = Files.createTempDirectory("fcu-empty");
        FcuConfigException failure = assertThrows(FcuConfigException.class, () -> FcuToolCheck.require(empty));
        String message = failure.getMessage();
        assertTrue(message.contains("4 problem(s)"), message);
        for (String expected : List.of("Could not find factory_configurator_utility.zip in " + empty,
                "Could not find fcu.yml in " + empty, "Could not find " + empty.resolve("keystore/CA_private.pem"),
                "Could not find " + empty.resolve("keystore/CA_cert.pem"), "fcu-config-validator.sh " + empty)) {
            assertTrue(message.contains(expected), expected + " in\n" + message);
        }
    }

    @Test
    void aMissingFolderIsNamed() {
        Path missing = Path.of("/nonexistent/fcu_config");
        assertEquals(List.of("Could not find directory " + missing), FcuToolCheck.check(missing).problems());
    }

    @Test
    void eachUnsupportedOrMissingModeIsListedAndNestedKeysCount() throws Exception {
        Path folder = goodFolder();
        Path fcuYml = folder.resolve("fcu.yml");
        String yml = Files.readString(fcuYml)
                .replace("first-to-claim: true", "first-to-claim: false")
                .replace("time-sync: true\n", "# time-sync: true\n")
                // the validator finds a key wherever it is nested
                .replace("device-key-generation-mode: by_tool\n", "")
                .replace("device-info:\n", "device-info:\n  device-key-generation-mode: BY_TOOL\n");
        Files.writeString(fcuYml, yml);
        assertEquals(List.of("fcu.yml sets first-to-claim: false; pep supports only first-to-claim: true",
                "fcu.yml does not set time-sync; pep supports only time-sync: true"),
                FcuToolCheck.check(folder).problems());
    }

    @Test
    void aKeyOfAnotherCaIsReported() throws Exception {
        Path folder = goodFolder();
        Files.copy(goodFolder().resolve(FcuConfig.CA_PRIVATE_KEY), folder.resolve(FcuConfig.CA_PRIVATE_KEY),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> problems = FcuToolCheck.check(folder).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("does not belong to the CA certificate"), problems.get(0));
    }

    @Test
    void unparsableCertificateAndKeyAreBothReported() throws Exception {
        Path folder = goodFolder();
        Files.writeString(folder.resolve(FcuConfig.CA_CERTIFICATE), "not a certificate\n");
        Files.writeString(folder.resolve(FcuConfig.CA_PRIVATE_KEY), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        List<String> problems = FcuToolCheck.check(folder).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("CA_cert.pem is not a PEM X.509 certificate"), problems.get(0));
        assertTrue(problems.get(1).contains("CA_private.pem is not an unencrypted PEM private key"), problems.get(1));
    }

    @Test
    void anExpiredCaCertificateIsReported() throws Exception {
        Path folder = goodFolder();
        PrivateKey key = CertificateAuthority.readPrivateKey(Files.readString(folder.resolve(FcuConfig.CA_PRIVATE_KEY)));
        var ca = CertificateAuthority.parseDer(CertificateAuthority.certificateDerFromPem(
                Files.readString(folder.resolve(FcuConfig.CA_CERTIFICATE))));
        Instant notAfter = Instant.now().minus(400, ChronoUnit.DAYS);
        byte[] expired = new JcaX509v3CertificateBuilder(new X500Name("CN=expired CA"), BigInteger.TEN,
                Date.from(notAfter.minus(365, ChronoUnit.DAYS)), Date.from(notAfter), new X500Name("CN=expired CA"),
                ca.getPublicKey()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)).getEncoded();
        Files.writeString(folder.resolve(FcuConfig.CA_CERTIFICATE), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(expired) + "\n-----END CERTIFICATE-----\n");
        List<String> problems = FcuToolCheck.check(folder).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("CA_cert.pem has expired"), problems.get(0));
    }

    @Test
    void aMissingUpdateAuthCertificateOnlyWarns() throws Exception {
        Path folder = goodFolder();
        Files.delete(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE));
        FcuToolCheck.Findings findings = FcuToolCheck.check(folder);
        assertTrue(findings.usable(), findings.problems().toString());
        assertEquals(1, findings.warnings().size());
    }

    @Test
    void anExpiredUpdateAuthOrBootstrapCaCertificateIsAProblem() throws Exception {
        Path folder = goodFolder();
        Files.write(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.expiredDaysAgo("update", 2));
        Files.write(folder.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE), TestCertificates.expiredDaysAgo("bs", 2));
        List<String> problems = FcuToolCheck.check(folder).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE)
                + ": the update-auth certificate expired on "), problems.get(0));
        assertTrue(problems.get(0).contains("ReturnStatus 13 Certificate expired:mbed.UpdateAuthCert"), problems.get(0));
        assertTrue(problems.get(1).contains("the bootstrap server CA certificate expired on "), problems.get(1));
    }

    @Test
    void certificatesCloseToExpiryWarnWithTheirDateAndTheSoonestLimitsTheConfig() throws Exception {
        Path folder = goodFolder();
        byte[] soon = TestCertificates.expiringInDays("update", 20);
        Files.write(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), soon);
        Files.write(folder.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE), TestCertificates.expiringInDays("bs", 25));
        String date = java.time.LocalDate.ofInstant(CertificateAuthority.parseDer(soon).getNotAfter().toInstant(),
                java.time.ZoneOffset.UTC).toString();
        Instant now = Instant.now();
        FcuToolCheck.Findings findings = FcuToolCheck.check(folder, java.time.Duration.ofDays(30), now);
        assertTrue(findings.usable(), findings.problems().toString());
        assertEquals(2, findings.warnings().size(), findings.warnings().toString());
        assertTrue(findings.warnings().get(0).contains("the update-auth certificate expires on " + date + ", in 19 day(s)"),
                findings.warnings().get(0));
        assertTrue(findings.warnings().get(1).contains("the bootstrap server CA certificate expires on "),
                findings.warnings().get(1));
        assertEquals("FCU configuration valid until " + date + " (19 days): update-auth certificate",
                findings.validitySummary(now));
        assertEquals(List.of(), FcuToolCheck.check(folder, java.time.Duration.ofDays(10), now).warnings());
    }

    @Test
    void anUnreadableUpdateAuthCertificateIsAProblem() throws Exception {
        Path folder = goodFolder();
        Files.writeString(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), "not a certificate");
        List<String> problems = FcuToolCheck.check(folder).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("update auth certificate"), problems.get(0));
    }

    @Test
    void pepDoesNotStartWithTheFcuToolAndABrokenFolder() throws Exception {
        Path folder = goodFolder();
        Files.delete(folder.resolve(FcuToolCheck.FCU_PACKAGE));
        Files.writeString(folder.resolve("fcu.yml"), Files.readString(folder.resolve("fcu.yml"))
                .replace("use-bootstrap: true", "use-bootstrap: false"));
        Main main = PepMain.configure(Map.of("pep.fcu.config-dir", folder.toString(),
                "pep.tool.kind", "ft-demo", "pep.tool.executable", "/opt/fcu-ve/bin/python3",
                "pep.tool.args", "/opt/fcu-package/ft_demo/sources/ft_demo.py inject "
                + "--endpoint-name={serialNumber} --serial-number={serialNumber} tcp --ip={ip} --port={port}")).main();
        try {
            Exception failure = assertThrows(Exception.class, main::start);
            FcuConfigException cause = findCause(failure);
            String message = cause.getMessage();
            assertTrue(message.contains("2 problem(s)"), message);
            assertTrue(message.contains("Could not find factory_configurator_utility.zip"), message);
            assertTrue(message.contains("fcu.yml sets use-bootstrap: false"), message);
        } finally {
            main.stop();
        }
    }

    /** A valid folder for the vendor's tool: pep's development config plus the FCU archive. */
    static Path goodFolder() throws Exception {
        Path folder = Files.createTempDirectory("fcu-good").resolve("fcu_config");
        DevelopmentConfig.createIfAbsent(folder);
        Files.write(folder.resolve(FcuToolCheck.FCU_PACKAGE), new byte[] {'P', 'K', 5, 6});
        return folder;
    }

    private static FcuConfigException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FcuConfigException e) {
                return e;
            }
        }
        throw new AssertionError("no FcuConfigException in", failure);
    }


    @Test
    void anUpdateAuthCertificateTheFccCannotParseIsAProblemAndOneNotYetValidAWarning() throws Exception {
        for (var unusable : TestCertificates.unparseableByFcc().entrySet()) {
            Path folder = goodFolder();
            Files.write(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), unusable.getValue());
            List<String> problems = FcuToolCheck.check(folder).problems();
            assertEquals(1, problems.size(), unusable.getKey() + ": " + problems);
            assertTrue(problems.get(0).contains("ReturnStatus 18 General error:mbed.UpdateAuthCert"), problems.get(0));
        }
        Path folder = goodFolder();
        Files.write(folder.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.validFromDaysAhead("update", 2));
        FcuToolCheck.Findings findings = FcuToolCheck.check(folder);
        assertTrue(findings.usable(), findings.problems().toString());
        assertTrue(findings.warnings().stream().anyMatch(w -> w.contains("Certificate validity cannot be checked:mbed.UpdateAuthCert")),
                findings.warnings().toString());
    }
}
