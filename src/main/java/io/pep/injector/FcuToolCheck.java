package io.pep.injector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The FCU config folder as the vendor's tool (ft_demo) needs it, checked with the rules of
 * {@code fcu-config-validator.sh} (SPEC §3 layout, CA certificate and key parse and belong
 * together, fcu.yml sets every supported mode) so that pep refuses to start with one message
 * listing every problem instead of failing at the first gateway.
 */
public final class FcuToolCheck {

    public static final String FCU_PACKAGE = "factory_configurator_utility.zip";

    /** What the check found: problems stop the start, warnings are logged. */
    public record Findings(Path folder, List<String> problems, List<String> warnings) {

        public boolean usable() {
            return problems.isEmpty();
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
        Findings findings = check(folder);
        if (!findings.usable()) {
            throw new FcuConfigException(findings.message());
        }
        return findings;
    }

    public static Findings check(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add("Could not find directory " + dir);
            return new Findings(dir, problems, warnings);
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
            checkCertificateAuthority(caCert, caKey, problems);
        }
        if (!Files.exists(dir.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE))) {
            warnings.add("No update auth certificate (" + FcuConfig.UPDATE_AUTH_CERTIFICATE + ") in " + dir
                    + ": gateways get no firmware update certificate");
        }
        return new Findings(dir, List.copyOf(problems), List.copyOf(warnings));
    }

    private static void checkModes(Path fcuYml, List<String> problems) {
        JsonNode yml;
        try {
            yml = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(fcuYml, StandardCharsets.UTF_8));
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
    private static void checkCertificateAuthority(Path caCert, Path caKey, List<String> problems) {
        String certPem = read(caCert, problems);
        String keyPem = read(caKey, problems);
        if (certPem == null || keyPem == null) {
            return;
        }
        boolean certificateParses = false;
        try {
            X509Certificate certificate = CertificateAuthority.parseDer(CertificateAuthority.certificateDerFromPem(certPem));
            certificateParses = true;
            certificate.checkValidity();
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
