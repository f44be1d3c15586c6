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
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional HTTPS for pep's port: a keystore ({@code pep.tls.keystore}, PKCS12 or JKS) or a PEM
 * certificate chain and key ({@code pep.tls.cert} + {@code pep.tls.key}) turns TLS on. They become
 * Camel's global SSL context parameters, which the HTTP server uses
 * (io.pep.api.PepHttpServer). Nothing set: plain HTTP as before.
 */
public class TlsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TlsConfiguration.class);

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
        ssl.setCamelContext(context);
        ssl.createSSLContext(context); // fail at start, not at the first client
        context.setSSLContextParameters(ssl);
        LOG.info("HTTPS on: {}", pem ? "certificate " + certFile + ", key " + keyFile : "keystore " + keystore);
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
