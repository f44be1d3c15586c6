package io.pep.injector;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * The factory CA that signs device certificates: FCU's {@code keystore/CA_cert.pem} and
 * {@code keystore/CA_private.pem}. The key must be EC (device certificates are signed
 * ecdsa-with-SHA256) and must belong to the certificate.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {

    /**
     * Reads the CA from PEM text. The key may be PKCS#8 ({@code PRIVATE KEY}) or SEC1
     * ({@code EC PRIVATE KEY}, optionally after openssl's {@code EC PARAMETERS} block).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem) {
        X509Certificate certificate = readCertificate(certificatePem);
        PrivateKey key = readPrivateKey(privateKeyPem);
        if (!(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("the CA private key is " + key.getAlgorithm()
                    + "; FCC needs device certificates signed ecdsa-with-SHA256, so the CA key must be EC");
        }
        if (!belongs((ECPrivateKey) key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the CA private key does not belong to the CA certificate");
        }
        return new CertificateAuthority(certificate, key);
    }

    private static X509Certificate readCertificate(String pem) {
        return parseDer(certificateDerFromPem(pem));
    }

    /** The DER of the first CERTIFICATE block of a PEM text. */
    public static byte[] certificateDerFromPem(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    return holder.getEncoded();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed PEM certificate: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no CERTIFICATE block found");
    }

    /** A DER X.509 certificate, parsed by the JDK. */
    public static X509Certificate parseDer(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The unencrypted private key of a PEM text (PKCS#8 or SEC1). */
    static PrivateKey readPrivateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) {
                    // only the private half: a SEC1 key may come without its public key
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException("the CA private key is encrypted; pep needs it unencrypted "
                            + "(protect the folder instead, e.g. chmod 600)");
                }
                // anything else (openssl's EC PARAMETERS block) is skipped
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed PEM private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no PRIVATE KEY or EC PRIVATE KEY block found");
    }

    /**
     * A P-256 key (FCC's curve) is checked by its point, d·G, on the domain the issuer signs with; any
     * other by a signature: the JDK's ECDSA, cold, took a large share of a {@code pep-inject} run.
     */
    private static boolean belongs(ECPrivateKey key, PublicKey publicKey) {
        if (publicKey instanceof ECPublicKey ec && P256.is(key.getParams()) && P256.is(ec.getParams())) {
            return P256.pairs(key, ec);
        }
        return signsFor(key, publicKey);
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) {
        byte[] probe = "pep CA key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
