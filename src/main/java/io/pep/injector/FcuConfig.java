package io.pep.injector;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An FCU-style config folder, read once and validated up front so an injection can only fail on
 * the gateway's side. Layout:
 *
 * <pre>
 * fcu.yml
 * keystore/CA_cert.pem         factory CA certificate (PEM)
 * keystore/CA_private.pem      its key (PEM, PKCS#8 or SEC1 "EC PRIVATE KEY", unencrypted)
 * update-auth-certificate.der  firmware update certificate (optional: FCC then warns)
 * bootstrap-server-ca-certificate.der   the bootstrap server's CA (DER or PEM; name configurable)
 * factory_configurator_utility.zip      the vendor's FCU (only the vendor tool needs it)
 * </pre>
 *
 * fcu.yml uses FCU's key names where pep knows them; pep reads these:
 *
 * <pre>
 * use-bootstrap: true                    # required, only true is supported
 * first-to-claim: true                   # required, only true is supported
 * device-key-generation-mode: by_tool    # required, only by_tool is supported
 * entropy-generation-mode: by_device     # optional, only by_device is supported
 * verify-on-device: true                 # optional, only true is supported
 * time-sync: true                        # optional, only true is supported
 * bootstrap-server-uri-first-to-claim: coaps://bootstrap.us-east-1.mbedcloud.com:5684
 *                                        # (bootstrap-server-uri is read when this one is absent)
 * bootstrap-server-ca-certificate-file: bootstrap-server-ca-certificate.der   # optional, this default
 * update-auth-certificate-file: &lt;%= ENV['FCU_RESOURCES_DIR'] %&gt;/update-auth-certificate.der   # optional
 * vendor-id: 42fa7b48-1a65-43aa-890f-8c704daade54     # optional (FCC warns without)
 * class-id: c56f3a62-b52b-4ef6-95a0-db7a6e3b5b21      # optional (FCC warns without)
 * time-zone: Europe/Berlin               # optional IANA zone, default UTC
 * device-info:                           # all five required
 *   manufacturer: Acme
 *   model-number: GW-1
 *   device-type: edge-gateway
 *   hardware-version: rev-b
 *   memory-total-kb: 1048576
 * </pre>
 *
 * Like the real FCC, pep refuses an expired update-auth certificate (FCC would answer every
 * gateway ReturnStatus 13); it also refuses an expired bootstrap server CA or factory CA
 * certificate (FCC does not check the bootstrap CA's dates, but gateways could not use it). A
 * certificate that expires within the warning period ({@value CertificateValidity#WARNING_DAYS_VARIABLE},
 * 30 days by default) adds a warning with the date; {@link #validitySummary(Instant)} says how
 * long the whole configuration stays valid.
 *
 * <p>FCU's ERB form {@code <%= ENV['NAME'] %>} is expanded from the environment;
 * {@code FCU_RESOURCES_DIR} defaults to this folder. Relative file names are relative to this
 * folder. Other keys of the vendor's fcu.yml are ignored.
 */
public record FcuConfig(Path folder, CertificateAuthority authority, String bootstrapServerUri,
                        byte[] bootstrapServerCaCertificate, byte[] updateAuthCertificate, byte[] vendorId,
                        byte[] classId, DeviceInfo deviceInfo, ZoneId timeZone, List<String> warnings,
                        List<CertificateValidity> validity) {

    public static final String FCU_YML = "fcu.yml";
    public static final String CA_CERTIFICATE = "keystore/CA_cert.pem";
    public static final String CA_PRIVATE_KEY = "keystore/CA_private.pem";
    public static final String UPDATE_AUTH_CERTIFICATE = "update-auth-certificate.der";
    public static final String BOOTSTRAP_SERVER_CA_CERTIFICATE = "bootstrap-server-ca-certificate.der";

    /**
     * The fcu.yml modes the provisioning flow works with and the only value each may have (SPEC §3;
     * fcu-config-validator.sh and {@link FcuToolCheck} require all of them for the vendor's tool).
     */
    public static final Map<String, String> SUPPORTED_MODES = supportedModes();
    /** The modes pep's own injector cannot do without; it assumes the others when absent. */
    private static final Set<String> REQUIRED_MODES = Set.of("use-bootstrap", "first-to-claim",
            "device-key-generation-mode");

    private static final Pattern ERB_ENV = Pattern.compile("<%=\\s*ENV\\[\\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\\s*]\\s*%>");

    public FcuConfig {
        warnings = List.copyOf(warnings);
        validity = List.copyOf(validity);
    }

    /** {@code FCU configuration valid until 2027-03-01 (92 days): update-auth certificate}, for the log. */
    public String validitySummary(Instant now) {
        return CertificateValidity.summary(validity, now);
    }

    public static FcuConfig load(Path folder) throws FcuConfigException {
        return load(folder, System.getenv());
    }

    /**
     * Reads and checks the folder; {@code environment} feeds fcu.yml's ERB expressions and may set
     * {@value CertificateValidity#WARNING_DAYS_VARIABLE}.
     */
    public static FcuConfig load(Path folder, Map<String, String> environment) throws FcuConfigException {
        Duration warningPeriod;
        try {
            warningPeriod = CertificateValidity.warningPeriod(environment.get(CertificateValidity.WARNING_DAYS_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new FcuConfigException(e.getMessage(), e);
        }
        return load(folder, environment, warningPeriod, Instant.now());
    }

    /** Reads and checks the folder, warning about certificates that expire within {@code warningPeriod} of {@code now}. */
    public static FcuConfig load(Path folder, Map<String, String> environment, Duration warningPeriod, Instant now)
            throws FcuConfigException {
        if (!Files.isDirectory(folder)) {
            throw new FcuConfigException("FCU config folder " + folder.toAbsolutePath() + " does not exist "
                    + "(set PEP_FCU_CONFIG_DIR or --config-dir)");
        }
        List<String> warnings = new ArrayList<>();
        JsonNode yml = readYaml(folder, environment);

        for (Map.Entry<String, String> mode : SUPPORTED_MODES.entrySet()) {
            requireMode(yml, mode.getKey(), mode.getValue(), REQUIRED_MODES.contains(mode.getKey()));
        }

        CertificateAuthority authority;
        try {
            authority = CertificateAuthority.fromPem(readText(folder, CA_CERTIFICATE), readText(folder, CA_PRIVATE_KEY));
        } catch (IllegalArgumentException e) {
            throw new FcuConfigException(folder.resolve("keystore") + ": " + e.getMessage(), e);
        }

        String uri = text(yml, "bootstrap-server-uri-first-to-claim");
        String uriKey = "bootstrap-server-uri-first-to-claim";
        if (uri == null) {
            uri = text(yml, "bootstrap-server-uri");
            uriKey = "bootstrap-server-uri";
        }
        if (uri == null || uri.isBlank()) {
            throw new FcuConfigException(FCU_YML + ": bootstrap-server-uri-first-to-claim is missing");
        }
        if (!(uri.startsWith("coap://") || uri.startsWith("coaps://"))) {
            throw new FcuConfigException(FCU_YML + ": " + uriKey + " must start with coap:// or coaps://, got " + uri);
        }
        if (uri.contains("?aid=") || uri.contains("&aid=")) {
            throw new FcuConfigException(FCU_YML + ": " + uriKey + " must not contain aid= in first-to-claim mode");
        }

        List<CertificateValidity> validity = new ArrayList<>();
        Path bootstrapCaFile = file(folder, yml, "bootstrap-server-ca-certificate-file",
                BOOTSTRAP_SERVER_CA_CERTIFICATE);
        byte[] bootstrapCa = readCertificate(bootstrapCaFile, "the bootstrap server CA certificate");
        X509Certificate bootstrapCaCertificate = CertificateAuthority.parseDer(bootstrapCa);
        if (!"EC".equals(bootstrapCaCertificate.getPublicKey().getAlgorithm())) {
            throw new FcuConfigException(bootstrapCaFile + ": the bootstrap server CA certificate must have an EC key "
                    + "(FCC derives its time-server id from it)");
        }

        Path updateAuthFile = file(folder, yml, "update-auth-certificate-file", UPDATE_AUTH_CERTIFICATE);
        byte[] updateAuth = null;
        if (Files.exists(updateAuthFile)) {
            updateAuth = readCertificate(updateAuthFile, "the update auth certificate");
            X509Certificate updateAuthCertificate = CertificateAuthority.parseDer(updateAuth);
            Optional<String> unusable = FccCertificateProfile.mismatch(updateAuthCertificate);
            if (unusable.isPresent()) {
                throw new FcuConfigException(CertificateValidity.updateAuthUnusable(updateAuthFile, unusable.get()));
            }
            CertificateValidity.updateAuthNotYetValid(updateAuthFile, updateAuthCertificate, now).ifPresent(warnings::add);
            validity.add(CertificateValidity.updateAuth(updateAuthFile, updateAuthCertificate));
        } else {
            warnings.add(updateAuthFile + " not found: gateways get no firmware update certificate "
                    + "(FCC warns: Item not set:mbed.UpdateAuthCert)");
        }

        validity.add(CertificateValidity.bootstrapServerCa(bootstrapCaFile, bootstrapCaCertificate));
        validity.add(CertificateValidity.factoryCa(folder.resolve(CA_CERTIFICATE), authority.certificate()));
        checkExpiry(validity, warningPeriod, now, warnings);

        byte[] vendorId = uuid(yml, "vendor-id", warnings);
        byte[] classId = uuid(yml, "class-id", warnings);

        JsonNode info = yml.get("device-info");
        if (info == null || !info.isObject()) {
            throw new FcuConfigException(FCU_YML + ": device-info is missing (manufacturer, model-number, "
                    + "device-type, hardware-version, memory-total-kb)");
        }
        DeviceInfo deviceInfo = new DeviceInfo(requiredText(info, "manufacturer"), requiredText(info, "model-number"),
                requiredText(info, "device-type"), requiredText(info, "hardware-version"), memoryTotalKb(info));

        ZoneId zone = timeZone(yml);
        return new FcuConfig(folder, authority, uri, bootstrapCa, updateAuth, vendorId, classId, deviceInfo, zone,
                warnings, validity);
    }

    /** Every expired certificate in one message; the ones close to expiry as warnings. */
    private static void checkExpiry(List<CertificateValidity> validity, Duration warningPeriod, Instant now,
                                    List<String> warnings) throws FcuConfigException {
        List<String> expired = new ArrayList<>();
        for (CertificateValidity certificate : validity) {
            certificate.problem(now).ifPresent(expired::add);
            certificate.warning(warningPeriod, now).ifPresent(warnings::add);
        }
        if (!expired.isEmpty()) {
            throw new FcuConfigException(String.join("\n", expired));
        }
    }

    private static Map<String, String> supportedModes() {
        Map<String, String> modes = new LinkedHashMap<>();
        modes.put("use-bootstrap", "true");
        modes.put("first-to-claim", "true");
        modes.put("device-key-generation-mode", "by_tool");
        modes.put("entropy-generation-mode", "by_device");
        modes.put("verify-on-device", "true");
        modes.put("time-sync", "true");
        return Collections.unmodifiableMap(modes);
    }

    private static JsonNode readYaml(Path folder, Map<String, String> environment) throws FcuConfigException {
        String text = readText(folder, FCU_YML);
        Matcher erb = ERB_ENV.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (erb.find()) {
            String name = erb.group(1);
            String value = environment.get(name);
            if (value == null && "FCU_RESOURCES_DIR".equals(name)) {
                value = folder.toAbsolutePath().toString();
            }
            if (value == null) {
                throw new FcuConfigException(FCU_YML + " uses ENV['" + name + "'], which is not set");
            }
            erb.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        erb.appendTail(expanded);
        try {
            JsonNode root = JsonTrees.readYaml(expanded.toString());
            if (root == null || !root.isObject()) {
                throw new FcuConfigException(folder.resolve(FCU_YML) + " is not a YAML mapping");
            }
            return root;
        } catch (IOException e) {
            throw new FcuConfigException(folder.resolve(FCU_YML) + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static void requireMode(JsonNode yml, String key, String supported, boolean required)
            throws FcuConfigException {
        JsonNode node = yml.get(key);
        if (node == null || node.isNull()) {
            if (required) {
                throw new FcuConfigException(FCU_YML + ": " + key + " is missing (pep supports " + key + ": "
                        + supported + ")");
            }
            return;
        }
        String value = node.asText().toLowerCase(Locale.ROOT);
        if (!supported.equals(value)) {
            throw new FcuConfigException(FCU_YML + ": " + key + ": " + node.asText() + " is not supported "
                    + "(pep supports only " + key + ": " + supported + ")");
        }
    }

    private static Path file(Path folder, JsonNode yml, String key, String defaultName) {
        String name = text(yml, key);
        Path path = Path.of(name == null || name.isBlank() ? defaultName : name);
        return path.isAbsolute() ? path : folder.resolve(path);
    }

    /** A certificate file in DER or PEM, as DER. */
    static byte[] readCertificate(Path file, String what) throws FcuConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FcuConfigException(file + " (" + what + ") cannot be read: " + e, e);
        }
        try {
            String asText = new String(bytes, StandardCharsets.ISO_8859_1);
            if (asText.contains("-----BEGIN CERTIFICATE-----")) {
                bytes = CertificateAuthority.certificateDerFromPem(asText);
            }
            CertificateAuthority.parseDer(bytes);
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new FcuConfigException(file + " (" + what + "): " + e.getMessage(), e);
        }
    }

    private static byte[] uuid(JsonNode yml, String key, List<String> warnings) throws FcuConfigException {
        String text = text(yml, key);
        if (text == null || text.isBlank()) {
            warnings.add(FCU_YML + ": " + key + " is not set (FCC warns: Item not set)");
            return null;
        }
        try {
            String canonical = text.trim();
            if (canonical.matches("[0-9a-fA-F]{32}")) {
                canonical = canonical.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
            }
            UUID uuid = UUID.fromString(canonical);
            if (!uuid.toString().equalsIgnoreCase(canonical)) {
                throw new IllegalArgumentException("not in canonical form");
            }
            return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array();
        } catch (IllegalArgumentException e) {
            throw new FcuConfigException(FCU_YML + ": " + key + " must be a UUID like "
                    + "42fa7b48-1a65-43aa-890f-8c704daade54, got " + text, e);
        }
    }

    private static long memoryTotalKb(JsonNode info) throws FcuConfigException {
        JsonNode node = info.get("memory-total-kb");
        if (node == null || !(node.canConvertToLong() || node.isTextual())) {
            throw new FcuConfigException(FCU_YML + ": device-info.memory-total-kb is missing");
        }
        try {
            long value = node.isNumber() && node.isIntegralNumber() ? node.longValue() : Long.parseLong(node.asText().trim());
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new NumberFormatException("out of range");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new FcuConfigException(FCU_YML + ": device-info.memory-total-kb must be a whole number of KiB, got "
                    + node.asText(), e);
        }
    }

    private static ZoneId timeZone(JsonNode yml) throws FcuConfigException {
        String zone = text(yml, "time-zone");
        if (zone == null || zone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new FcuConfigException(FCU_YML + ": time-zone " + zone + " is not an IANA time zone", e);
        }
    }

    private static String requiredText(JsonNode info, String key) throws FcuConfigException {
        String value = text(info, key);
        if (value == null || value.isBlank()) {
            throw new FcuConfigException(FCU_YML + ": device-info." + key + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static String readText(Path folder, String name) throws FcuConfigException {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new FcuConfigException("FCU config folder " + folder.toAbsolutePath() + " has no " + name);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FcuConfigException(file + " cannot be read: " + e, e);
        }
    }
}
