package io.pep.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** HTTPS with a certificate made by the openssl one-liner the docs give, as PEM pair and as PKCS12. */
class HttpsTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();

    @Test
    void aPemPairTurnsHttpsOnAndTheApiAnswersOverIt() throws Exception {
        Path dir = Files.createTempDirectory("pep-tls");
        Path cert = dir.resolve("pep-cert.pem");
        Path key = dir.resolve("pep-key.pem");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "825",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString());
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        settings.put("pep.tls.cert", cert.toString());
        settings.put("pep.tls.key", key.toString());
        PepMain pep = PepMain.start(settings);
        try {
            HttpClient https = trusting(cert);
            HttpResponse<String> identity = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + pep.port()
                    + "/v3/identity?serialNumber=TLS-1&ip=127.0.0.1&port=7777")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, identity.statusCode(), identity.body());
            assertEquals(200, https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + pep.port()
                    + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + pep.port() + "/observe/health/live")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()), "no plain HTTP on a TLS port");
        } finally {
            pep.stop();
        }
    }

    /**
     * Mozilla's "intermediate" set only: a TLS 1.2 client is served exactly the ECDHE-ECDSA suites with
     * AES-GCM or ChaCha20 (the key is EC), never CBC, SHA-1 or RSA key exchange; TLS 1.3 works; TLS 1.1 does not.
     */
    @Test
    void onlyTheIntermediateCipherSuitesAreServed() throws Exception {
        Path dir = Files.createTempDirectory("pep-tls");
        Path cert = dir.resolve("pep-cert.pem");
        Path key = dir.resolve("pep-key.pem");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString());
        PepMain pep = PepMain.start(Map.of("pep.tool.executable", FAKE_TOOL.toString(), "pep.tls.cert", cert.toString(),
                "pep.tls.key", key.toString()));
        try {
            SSLContext client = trustingContext(cert);
            assertThrows(IOException.class, () -> handshake(client, pep.port(), "TLSv1.2",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), "a CBC suite is refused");
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", handshake(client, pep.port(), "TLSv1.2",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
            assertEquals("TLS_AES_256_GCM_SHA384", handshake(client, pep.port(), "TLSv1.3", "TLS_AES_256_GCM_SHA384"));

            java.util.Set<String> served = new java.util.TreeSet<>();
            try (SSLSocket probe = (SSLSocket) client.getSocketFactory().createSocket()) {
                for (String suite : probe.getSupportedCipherSuites()) {
                    if (!suite.startsWith("TLS_AES_") && !suite.startsWith("TLS_CHACHA20_") && !suite.endsWith("SCSV")) {
                        try {
                            served.add(handshake(client, pep.port(), "TLSv1.2", suite));
                        } catch (IOException | IllegalArgumentException refused) {
                            // not served (or not offered by this JDK)
                        }
                    }
                }
            }
            assertEquals(java.util.Set.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"), served, "TLS 1.2 suites pep agreed to");
        } finally {
            pep.stop();
        }
    }

    /** The suite a handshake offering only {@code suite} over {@code protocol} agreed on. */
    private static String handshake(SSLContext context, int port, String protocol, String suite) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    @Test
    void aPkcs12KeystoreDoesTheSame() throws Exception {
        Path dir = Files.createTempDirectory("pep-tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path p12 = dir.resolve("pep.p12");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
        openssl(dir, "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
                "-passout", "pass:s3cret", "-name", "pep");
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        settings.put("pep.tls.keystore", p12.toString());
        settings.put("pep.tls.keystore-password", "s3cret");
        PepMain pep = PepMain.start(settings);
        try {
            HttpResponse<String> live = trusting(cert).send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + pep.port() + "/observe/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
            assertTrue(live.body().contains("\"UP\""), live.body());
        } finally {
            pep.stop();
        }
    }

    private static HttpClient trusting(Path cert) throws Exception {
        // generous: on a busy machine the connect (with its TLS handshake) took over 5 s
        return HttpClient.newBuilder().sslContext(trustingContext(cert)).connectTimeout(Duration.ofSeconds(30)).build();
    }

    private static SSLContext trustingContext(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("pep", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return ssl;
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
