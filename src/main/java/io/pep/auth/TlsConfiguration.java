package io.pep.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.jsse.CipherSuitesParameters;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional HTTPS for pep's port: a keystore ({@code pep.tls.keystore}, PKCS12 or JKS) or a PEM
 * certificate chain and key ({@code pep.tls.cert} + {@code pep.tls.key}) turns TLS on. They become
 * Camel's global SSL context parameters, with the TLS versions and cipher suites pep offers; the
 * HTTP server (io.pep.api.PepHttpServer) uses all three. Nothing set: plain HTTP as before.
 */
public class TlsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TlsConfiguration.class);

    /** TLS versions offered: Mozilla's "intermediate" configuration. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /**
     * Cipher suites offered, Mozilla's "intermediate" set without the DHE ones: every TLS 1.3 suite,
     * and for TLS 1.2 only ECDHE with AES-GCM or ChaCha20-Poly1305 (no CBC, no SHA-1 MAC, no RSA key
     * exchange). Any TLS client of the last ten years has one of them (curl, Python, Java 8, OpenSSL 1.0.1).
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    @PropertyInject("pep.tls.keystore")
    private String keystore;
    @PropertyInject("pep.tls.keystore-password")
    private String keystorePassword;
    @PropertyInject("pep.tls.keystore-type")
    private String keystoreType;
    @PropertyInject("pep.tls.cert")
    private String certFile;
    @PropertyInject("pep.tls.key")
    private String keyFile;

    @Override
    public void configure(CamelContext context) throws GeneralSecurityException, IOException {
        boolean pem = !certFile.isBlank() || !keyFile.isBlank();
        if (keystore.isBlank() && !pem) {
            return;
        }
        if (!keystore.isBlank() && pem) {
            throw new IllegalArgumentException("Set either pep.tls.keystore or pep.tls.cert + pep.tls.key, not both");
        }
        KeyStoreParameters store = new KeyStoreParameters();
        String password;
        if (pem) {
            if (certFile.isBlank() || keyFile.isBlank()) {
                throw new IllegalArgumentException("pep.tls.cert and pep.tls.key go together (PEM certificate chain and its key)");
            }
            password = "pep";
            store.setKeyStore(pemKeyStore(Path.of(certFile.trim()), Path.of(keyFile.trim()), password.toCharArray()));
        } else {
            password = keystorePassword;
            store.setType(keystoreType);
            store.setPassword(password);
            store.setResource("file:" + Path.of(keystore.trim()).toAbsolutePath());
            store.setCamelContext(context);
            store.createKeyStore(); // a wrong path or password stops the start here, with its reason
        }
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(password);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setKeyManagers(keys);
        ssl.setSecureSocketProtocols(protocols(PROTOCOLS));
        ssl.setCipherSuites(cipherSuites(CIPHER_SUITES));
        ssl.setCamelContext(context);
        ssl.createSSLContext(context); // fail at start, not at the first client
        context.setSSLContextParameters(ssl);
        LOG.info("HTTPS on: {}", pem ? "certificate " + certFile + ", key " + keyFile : "keystore " + keystore);
    }

    private static SecureSocketProtocolsParameters protocols(List<String> names) {
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(names);
        return protocols;
    }

    private static CipherSuitesParameters cipherSuites(List<String> names) {
        CipherSuitesParameters suites = new CipherSuitesParameters();
        suites.setCipherSuite(names);
        return suites;
    }

    static KeyStore pemKeyStore(Path cert, Path key, char[] password) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> chain;
        try (var in = Files.newInputStream(cert)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("pep.tls.cert: no certificate in " + cert);
        }
        PrivateKey privateKey;
        try (Reader reader = Files.newBufferedReader(key, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                privateKey = converter.getKeyPair(pair).getPrivate();
            } else if (parsed instanceof PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("pep.tls.key: " + key + " holds no unencrypted PEM private key");
            }
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("pep", privateKey, password, chain.toArray(Certificate[]::new));
        return store;
    }
}
