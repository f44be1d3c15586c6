package io.pep.injector;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.stream.Stream;

/**
 * A throw-away FCU config folder for development: a self-signed P-256 factory CA, a fake
 * bootstrap server CA, an update auth certificate and an fcu.yml pointing at
 * {@code coaps://bootstrap.dev.invalid:5684}. It lets a newcomer provision a simulated gateway
 * without the vendor's files. <b>Nothing it makes is trusted by any cloud.</b>
 */
public final class DevelopmentConfig {

    public static final String BOOTSTRAP_URI = "coaps://bootstrap.dev.invalid:5684";
    public static final String VENDOR_ID = "5065702d-6465-7600-8000-000000000001";
    public static final String CLASS_ID = "5065702d-6465-7600-8000-000000000002";
    private static final String NOT_TRUSTED = "development only, not trusted by any cloud";
    /** The same, short enough for a common name (RFC 5280: at most 64 characters, which BouncyCastle enforces). */
    private static final String NOT_TRUSTED_CN = "not trusted by any cloud";

    /** What {@link #createIfAbsent} did; {@link #notice()} is meant for the log. */
    public record Outcome(Path folder, boolean created) {
        public String notice() {
            return (created ? "created" : "using") + " DEVELOPMENT FCU config " + folder.toAbsolutePath()
                    + ": a throw-away CA, " + NOT_TRUSTED + "; gateways provisioned with it cannot connect "
                    + "to Device Management. Point PEP_FCU_CONFIG_DIR at the vendor's FCU config for production.";
        }
    }

    private DevelopmentConfig() {
    }

    /**
     * Creates the folder's content when the folder is absent or empty; leaves an existing fcu.yml
     * alone. A folder with other files but no fcu.yml is refused rather than mixed into.
     */
    public static Outcome createIfAbsent(Path folder) throws FcuConfigException {
        if (Files.isRegularFile(folder.resolve(FcuConfig.FCU_YML))) {
            return new Outcome(folder, false);
        }
        if (Files.isDirectory(folder) && !isEmpty(folder)) {
            throw new FcuConfigException(folder.toAbsolutePath() + " has files but no fcu.yml; "
                    + "refusing to put a development config into it");
        }
        Path staging = null;
        try {
            Path parent = folder.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, ".fcu-dev-");
            write(staging, new SecureRandom());
            if (Files.isDirectory(folder)) {
                Files.delete(folder); // empty, checked above
            }
            // one rename: another process never sees a half-written folder
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            return new Outcome(folder, true);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(staging);
            return new Outcome(folder, false); // another process created it first
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            deleteQuietly(staging);
            throw new FcuConfigException("cannot create a development FCU config at " + folder.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path dir, SecureRandom random)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(30 * 365L, ChronoUnit.DAYS);

        KeyPair ca = p256(random);
        byte[] caCert = selfSigned("pep development factory CA (" + NOT_TRUSTED_CN + ")", ca, true, now, notAfter, random);
        KeyPair bootstrap = p256(random);
        byte[] bootstrapCa = selfSigned("pep dev bootstrap server CA (fake, " + NOT_TRUSTED_CN + ")", bootstrap,
                true, now, notAfter, random);
        KeyPair update = p256(random);
        byte[] updateAuth = selfSigned("pep development update auth (" + NOT_TRUSTED_CN + ")", update, false, now,
                notAfter, random, KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_codeSigning);

        Files.createDirectories(dir.resolve("keystore"));
        Files.writeString(dir.resolve(FcuConfig.CA_CERTIFICATE), pem("CERTIFICATE", caCert));
        Path key = dir.resolve(FcuConfig.CA_PRIVATE_KEY);
        Files.writeString(key, pem("PRIVATE KEY", ca.getPrivate().getEncoded()));
        ownerOnly(key);
        Files.write(dir.resolve(FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE), bootstrapCa);
        Files.write(dir.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), updateAuth);
        Files.writeString(dir.resolve(FcuConfig.FCU_YML), fcuYml(now), StandardCharsets.UTF_8);
    }

    private static String fcuYml(Instant created) {
        return """
                # ===================================================================
                # DEVELOPMENT ONLY - NOT TRUSTED BY ANY CLOUD
                # Generated by pep on %s as a throw-away FCU config so a simulated
                # gateway (pep-fcc-sim) can be provisioned without the vendor's files.
                # The CA in keystore/ is self-signed and known to no Device Management
                # account; the bootstrap URI and its CA are fake. Replace this folder
                # with your FCU config (PEP_FCU_CONFIG_DIR) for real gateways.
                # ===================================================================
                use-bootstrap: true
                first-to-claim: true
                verify-on-device: true
                time-sync: true
                device-key-generation-mode: by_tool
                entropy-generation-mode: by_device
                bootstrap-server-uri-first-to-claim: %s
                bootstrap-server-ca-certificate-file: %s
                update-auth-certificate-file: <%%= ENV['FCU_RESOURCES_DIR'] %%>/%s
                vendor-id: %s
                class-id: %s
                time-zone: UTC
                device-info:
                  manufacturer: pep-development
                  model-number: pep-dev-gateway
                  device-type: edge-gateway
                  hardware-version: dev
                  memory-total-kb: 1048576
                """.formatted(created, BOOTSTRAP_URI, FcuConfig.BOOTSTRAP_SERVER_CA_CERTIFICATE,
                FcuConfig.UPDATE_AUTH_CERTIFICATE, VENDOR_ID, CLASS_ID);
    }

    private static byte[] selfSigned(String commonName, KeyPair keys, boolean isCa, Instant notBefore,
                                     Instant notAfter, SecureRandom random, KeyPurposeId... purposes)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, random).setBit(126),
                Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa))
                .addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                        ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                        : KeyUsage.digitalSignature))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()));
        if (purposes.length > 0) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    }

    private static KeyPair p256(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own ACLs apply
        }
    }

    private static boolean isEmpty(Path folder) throws FcuConfigException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new FcuConfigException("cannot list " + folder.toAbsolutePath() + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort on an error path; the original error is what matters
        }
    }
}
