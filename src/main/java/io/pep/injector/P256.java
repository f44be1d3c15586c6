package io.pep.injector;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The P-256 curve (secp256r1, prime256v1) through BouncyCastle's lightweight API: device key pairs,
 * the CA key as a signing key, and the check that a CA key belongs to its certificate. No JCA
 * provider is made for it (BouncyCastle's provider registers every algorithm it has: hundreds of
 * classes for each {@code pep-inject} run), and one domain object means the precomputed multiples of
 * the base point are built once and shared by key generation, signing and the check.
 */
final class P256 {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    static final ECNamedDomainParameters DOMAIN = new ECNamedDomainParameters(X9ObjectIdentifiers.prime256v1,
            CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH(), CURVE.getSeed());
    private static final X962Parameters NAMED = new X962Parameters(X9ObjectIdentifiers.prime256v1);
    private static final AlgorithmIdentifier EC_P256 = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, NAMED);

    private P256() {
    }

    /** A new key pair as DER: the private key in PKCS#8 (SEC1 inside, with curve and public key), the public key's SubjectPublicKeyInfo. */
    record EncodedKeyPair(byte[] privateKeyInfo, SubjectPublicKeyInfo publicKeyInfo) {
    }

    static EncodedKeyPair newKeyPair(SecureRandom random) {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        BigInteger d = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
        byte[] q = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(false);
        try {
            byte[] privateKey = new PrivateKeyInfo(EC_P256, new org.bouncycastle.asn1.sec.ECPrivateKey(
                    DOMAIN.getN().bitLength(), d, new DERBitString(q), NAMED)).getEncoded(ASN1Encoding.DER);
            return new EncodedKeyPair(privateKey, new SubjectPublicKeyInfo(EC_P256, q));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("encoding a P-256 key failed", e);
        }
    }

    /** True when {@code params} are P-256's. */
    static boolean is(ECParameterSpec params) {
        ECPoint g = params.getGenerator();
        return params.getOrder().equals(CURVE.getN()) && params.getCofactor() == CURVE.getH().intValue()
                && g.getAffineX().equals(CURVE.getG().getAffineXCoord().toBigInteger())
                && g.getAffineY().equals(CURVE.getG().getAffineYCoord().toBigInteger())
                && params.getCurve().getA().equals(CURVE.getCurve().getA().toBigInteger())
                && params.getCurve().getB().equals(CURVE.getCurve().getB().toBigInteger())
                && params.getCurve().getField() instanceof ECFieldFp field
                && field.getP().equals(CURVE.getCurve().getField().getCharacteristic());
    }

    /** The CA key as a signing key on the shared domain, or null when it is not a P-256 key. */
    static ECPrivateKeyParameters signingKey(ECPrivateKey key) {
        return is(key.getParams()) ? new ECPrivateKeyParameters(key.getS(), DOMAIN) : null;
    }

    /** Whether the P-256 {@code publicKey} is {@code privateKey}'s: its point is d·G. */
    static boolean pairs(ECPrivateKey privateKey, ECPublicKey publicKey) {
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), privateKey.getS())
                .normalize();
        return q.getAffineXCoord().toBigInteger().equals(publicKey.getW().getAffineX())
                && q.getAffineYCoord().toBigInteger().equals(publicKey.getW().getAffineY());
    }
}
