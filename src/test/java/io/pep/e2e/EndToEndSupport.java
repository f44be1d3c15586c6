package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;

/**
 * pep (real HTTP, the embedded store over the MongoDB driver) provisioning gateways simulated by
 * in-process {@link FccSimulator}s on random loopback ports: every injection is real TCP, real
 * CBOR and real certificates signed by the development CA pep generated on start. Subclasses
 * choose the factory tool (exec {@code bin/pep-inject} or the in-process injector).
 */
public abstract class EndToEndSupport extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a record may hold (SPEC §2): the request's configuration and the outcome, nothing else. */
    private static final Set<String> RECORD_FIELDS = Set.of("_id", "serialNumber", "deployed", "hardwareVersion",
            "radioConfig", "ledConfig", "category", "cloudAddress", "apiAddress", "gatewayServicesAddress",
            "verificationKey", "enrollmentID", "createdAt");

    private final List<FccSimulator> simulators = new ArrayList<>();

    /** The FCU config folder pep generated on start (pep.fcu.config-dir left at its default). */
    protected Path fcuConfigDir() {
        return dataDir().resolve("dev-fcu-config");
    }

    @AfterEach
    void stopSimulators() {
        simulators.forEach(FccSimulator::close);
        simulators.clear();
    }

    /** A faithful simulated gateway on a random loopback port, keeping what it receives on disk. */
    protected FccSimulator healthyGateway() {
        return gateway(SimulatorSettings.loopback(newTempDir("fcc-store")));
    }

    protected FccSimulator gateway(SimulatorSettings settings) {
        try {
            FccSimulator simulator = new FccSimulator(settings).start();
            simulators.add(simulator);
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected HttpResponse<String> provision(String serialNumber, int gatewayPort) {
        return get("/v3/identity?serialNumber=" + q(serialNumber) + "&ip=127.0.0.1&port=" + gatewayPort);
    }

    protected Document record(String serialNumber) {
        return identities().find(Filters.eq("serialNumber", serialNumber)).first();
    }

    /**
     * The whole chain agrees: the enrollment id answered and recorded is {@code A-} + SHA-256 of
     * the certificate the gateway stored, that certificate names the serial and chains to pep's
     * CA, the stored private key belongs to it, and pep kept neither of them.
     */
    protected void assertProvisioned(String serialNumber, HttpResponse<String> response, FccSimulator gateway)
            throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        JsonNode identity = JSON.readTree(response.body());
        assertEquals(serialNumber, identity.get("serialNumber").asText());
        assertTrue(identity.get("deployed").asBoolean());
        String answered = identity.get("enrollmentID").asText();

        Path working = gateway.storeDir().resolve("pal/WORKING");
        byte[] certificateDer = Files.readAllBytes(working.resolve("mbed.BootstrapDeviceCert.der"));
        byte[] privateKeyDer = Files.readAllBytes(working.resolve("mbed.BootstrapDevicePrivateKey.der"));
        String expected = "A-" + HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificateDer));
        assertEquals(expected, answered, "answered enrollment id = A- + SHA-256 of the stored certificate DER");
        assertEquals(97, answered.length());

        Document record = record(serialNumber);
        assertNotNull(record, "recorded");
        assertEquals(Boolean.TRUE, record.getBoolean("deployed"));
        assertEquals(expected, record.getString("enrollmentID"), "recorded enrollment id");

        X509Certificate certificate = certificate(certificateDer);
        assertEquals(serialNumber, commonName(certificate), "certificate CN = serial (endpoint name)");
        assertEquals(serialNumber, Files.readString(working.resolve("mbed.EndpointName"), StandardCharsets.UTF_8));
        assertEquals(serialNumber, Files.readString(working.resolve("mbed.SerialNumber"), StandardCharsets.UTF_8));
        assertChainsToDevelopmentCa(certificate);
        assertKeyMatches(privateKeyDer, certificate);
        assertNothingSecretIn(record, certificateDer, privateKeyDer);
    }

    /** The API answered a failure, and the serial is free again. */
    protected void assertFailedAndFreed(String serialNumber, int expectedStatus, HttpResponse<String> response,
                                        String... bodyContains) {
        assertEquals(expectedStatus, response.statusCode(), response.body());
        for (String text : bodyContains) {
            assertTrue(response.body().contains(text), "'" + text + "' in " + response.body());
        }
        assertTrue(response.body().contains("the same serial can be retried"), response.body());
        assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", serialNumber)),
                "the reservation was removed");
    }

    /** After a failure, the same serial provisions against a healthy gateway. */
    protected void assertRetrySucceeds(String serialNumber) throws Exception {
        FccSimulator healthy = healthyGateway();
        assertProvisioned(serialNumber, provision(serialNumber, healthy.port()), healthy);
    }

    private void assertChainsToDevelopmentCa(X509Certificate certificate) throws Exception {
        X509Certificate ca = certificate(io.pep.injector.CertificateAuthority.certificateDerFromPem(
                Files.readString(fcuConfigDir().resolve("keystore/CA_cert.pem"))));
        assertEquals(ca.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(ca.getPublicKey());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }

    private static void assertKeyMatches(byte[] privateKeyDer, X509Certificate certificate) throws Exception {
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(privateKeyDer));
        byte[] probe = "pep end-to-end key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        assertTrue(verifier.verify(signer.sign()), "the stored private key belongs to the stored certificate");
    }

    private static void assertNothingSecretIn(Document record, byte[] certificateDer, byte[] privateKeyDer) {
        for (String field : record.keySet()) {
            assertTrue(RECORD_FIELDS.contains(field), "unexpected field '" + field + "' in " + record.toJson());
        }
        record.values().forEach(value -> assertFalse(value instanceof Binary || value instanceof byte[],
                "binary data in " + record.toJson()));
        String json = record.toJson();
        for (byte[] der : List.of(certificateDer, privateKeyDer)) {
            assertFalse(json.contains(Base64.getEncoder().encodeToString(der).substring(0, 40)), "DER (base64) stored");
            assertFalse(json.toLowerCase().contains(HexFormat.of().formatHex(der).substring(0, 40)), "DER (hex) stored");
        }
        assertFalse(json.contains("BEGIN"), "PEM stored: " + json);
    }

    private static X509Certificate certificate(byte[] der) {
        return io.pep.injector.CertificateAuthority.parseDer(der);
    }

    private static String commonName(X509Certificate certificate) {
        RDN[] cn = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (cn.length != 1) {
            fail("expected one CN in " + certificate.getSubjectX500Principal());
        }
        return ((ASN1String) cn[0].getFirst().getValue()).getString();
    }
}
