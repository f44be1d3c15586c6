package io.pep.injector;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The FCU config folder as the vendor's tool (ft_demo) needs it, checked with the rules of
 * {@code fcu-config-validator.sh} (SPEC §3 layout, CA certificate and key parse and belong
 * together, fcu.yml sets every supported mode, no certificate has expired) so that pep refuses
 * to start with one message listing every problem instead of failing at the first gateway. The
 * update-auth certificate and the bootstrap server CA certificate (when the folder has one) are
 * checked like {@link FcuConfig} checks them: expired is a problem, expiring within the warning
 * period a warning with the date.
 */
public final class FcuToolCheck {

    public static final String FCU_PACKAGE = "factory_configurator_utility.zip";

    /** What the check found: problems stop the start, warnings are logged. */
    public record Findings(Path folder, List<String> problems, List<String> warnings,
                           List<CertificateValidity> validity) {

        public boolean usable() {
            return problems.isEmpty();
        }

        /** {@code FCU configuration valid until 2027-03-01 (92 days): update-auth certificate}, for the log. */
        public String validitySummary(Instant now) {
            return CertificateValidity.summary(validity, now);
        }

        /** One message naming the folder and every problem, one per line. */
        public String message() {
            StringBuilder text = new StringBuilder("FCU config folder " + folder + " (pep.fcu.config-dir) cannot be used "
                    + "by the FCU tool; " + problems.size() + " problem(s):");
            problems.forEach(problem -> text.append("\n  - ").append(problem));
            return text.append("\nCheck it with: fcu-config-validator.sh ").append(folder).toString();
        }
    }

    private FcuToolCheck() {
    }

    /** Throws one {@link FcuConfigException} listing every problem; returns the findings otherwise. */
    public static Findings require(Path folder) throws FcuConfigException {
        return require(folder, CertificateValidity.DEFAULT_WARNING_PERIOD);
    }

    /** {@link #require(Path)}, warning about certificates that expire within {@code warningPeriod}. */
    public static Findings require(Path folder, Duration warningPeriod) throws FcuConfigException {
        Findings findings = check(folder, warningPeriod, Instant.now());
        if (!findings.usable()) {
            throw new FcuConfigException(findings.message());
        }
        return findings;
    }

    public static Findings check(Path folder) {
        return check(folder, CertificateValidity.DEFAULT_WARNING_PERIOD, Instant.now());
    }

    public static Findings check(Path folder, Duration warningPeriod, Instant now) {
        Path dir = folder.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<CertificateValidity> validity = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add("Could not find directory " + dir);
            return new Findings(dir, problems, warnings, validity);
        }
        if (!Files.exists(dir.resolve(FCU_PACKAGE))) {
            problems.add("Could not find " + FCU_PACKAGE + " in " + dir);
        }
        Path fcuYml = dir.resolve(FcuConfig.FCU_YML);
        if (!Files.exists(fcuYml)) {
            problems.add("Could not find " + FcuConfig.FCU_YML + " in " + dir);
        }
        Path caKey = dir.resolve(FcuConfig.CA_PRIVATE_KEY);
        Path caCert = dir.resolve(FcuConfig.CA_CERTIFICATE);
        for (Path file : List.of(caKey, caCert)) {
            if (!Files.exists(file)) {
                problems.add("Could not find " + file);
            }
        }
        // content checks only where the layout is right; a missing file is reported above
        if (Files.exists(fcuYml)) {
            checkModes(fcuYml, problems);
        }
        if (Files.exists(caKey) && Files.exists(caCert)) {
            checkCertificateAuthority(caCert, caKey, problems, validity, now);
        }
        // the factory CA's expiry is reported by checkCertificateAuthority (in the validator's words); here
        // only how soon it expires
        validity.forEach(ca -> ca.warning(warningPeriod, now).ifPresent(warnings::add));
        List<CertificateValidity> sentToGateways = new ArrayList<>();
        Path updateAuth = dir.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE);
        if (!Files.exists(updateAuth)) {
            warnings.add("No update auth certificate (" + FcuConfig.UPDATE_AUTH_CERTIFICATE + ") in " + dir
                    + ": gateways get no firmware update certificate");
        } else {
            readCertificate(updateAuth, "the update auth certificate", problems).ifPresent(certificate -> {
                FccCertificateProfile.mismatch(certificate)
                        .ifPresent(mismatch -> problems.add(CertificateValidity.updateAuthUnusable(updateAuth, mismatch)));
                CertificateValidity.updateAuthNotYetValid(updateAuth, certificate, now).ifPresent(warnings::add);
                sentToGateways.add(CertificateValidity.updateAuth(updateAuth, certificate));
            });
        }
        // the vendor's FCU may bring its own; a copy in the folder is what pep's injector would send
        Path bootstrapCa = dir.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE);
        if (Files.exists(bootstrapCa)) {
            readCertificate(bootstrapCa, "the bootstrap server CA certificate", problems)
                    .map(certificate -> CertificateValidity.bootstrapServerCa(bootstrapCa, certificate))
                    .ifPresent(sentToGateways::add);
        }
        for (CertificateValidity certificate : sentToGateways) {
            certificate.problem(now).ifPresent(problems::add);
            certificate.warning(warningPeriod, now).ifPresent(warnings::add);
        }
        validity.addAll(0, sentToGateways);
        return new Findings(dir, List.copyOf(problems), List.copyOf(warnings), List.copyOf(validity));
    }

    private static Optional<X509Certificate> readCertificate(Path file, String what, List<String> problems) {
        try {
            return Optional.of(CertificateAuthority.parseDer(FcuConfig.readCertificate(file, what)));
        } catch (FcuConfigException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private static void checkModes(Path fcuYml, List<String> problems) {
        JsonNode yml;
        try {
            yml = JsonTrees.readYaml(Files.readString(fcuYml, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add(FcuConfig.FCU_YML + " cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        for (Map.Entry<String, String> mode : FcuConfig.SUPPORTED_MODES.entrySet()) {
            String key = mode.getKey();
            String supported = mode.getValue();
            // like the validator: the key wherever it is nested, its first occurrence
            JsonNode value = yml == null ? null : yml.findValue(key);
            if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
                problems.add(FcuConfig.FCU_YML + " does not set " + key + "; pep supports only " + key + ": " + supported);
            } else if (!supported.equals(value.asText().trim().toLowerCase(Locale.ROOT))) {
                problems.add(FcuConfig.FCU_YML + " sets " + key + ": " + value.asText() + "; pep supports only " + key
                        + ": " + supported);
            }
        }
    }

    /** The CA signs every device certificate: both files must parse, belong together and be valid now. */
    private static void checkCertificateAuthority(Path caCert, Path caKey, List<String> problems,
                                                  List<CertificateValidity> validity, Instant now) {
        String certPem = read(caCert, problems);
        String keyPem = read(caKey, problems);
        if (certPem == null || keyPem == null) {
            return;
        }
        boolean certificateParses = false;
        try {
            X509Certificate certificate = CertificateAuthority.parseDer(CertificateAuthority.certificateDerFromPem(certPem));
            certificateParses = true;
            validity.add(CertificateValidity.factoryCa(caCert, certificate));
            certificate.checkValidity(java.util.Date.from(now));
        } catch (CertificateExpiredException e) {
            problems.add(caCert + " has expired (" + e.getMessage() + ")");
        } catch (CertificateNotYetValidException e) {
            problems.add(caCert + " is not valid yet (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            problems.add(caCert + " is not a PEM X.509 certificate: " + e.getMessage());
        }
        boolean keyParses = false;
        try {
            CertificateAuthority.readPrivateKey(keyPem);
            keyParses = true;
        } catch (IllegalArgumentException e) {
            problems.add(caKey + " is not an unencrypted PEM private key: " + e.getMessage());
        }
        if (certificateParses && keyParses) {
            try {
                CertificateAuthority.fromPem(certPem, keyPem);
            } catch (IllegalArgumentException e) {
                // EC, and the key belongs to the certificate
                problems.add(caKey + " and " + caCert + ": " + e.getMessage());
            }
        }
    }

    private static String read(Path file, List<String> problems) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            problems.add(file + " cannot be read: " + e);
            return null;
        }
    }
}
