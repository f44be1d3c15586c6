package io.pep.injector;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.math.ec.ECPoint;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/**
 * Reading EC private keys in the two DER forms FCC accepts (SEC1 {@code ECPrivateKey}, with or
 * without its public key, and PKCS#8) and checking that one belongs to a public key, as FCC does
 * before storing a device certificate (status 34 otherwise).
 */
public final class EcPrivateKeys {

    /** The P-256 generator point; the FCC supports no other curve for device keys. */
    private static final ECPoint P256_GENERATOR = ECNamedCurveTable.getParameterSpec("secp256r1").getG();

    private EcPrivateKeys() {
    }

    /** The private scalar of a SEC1 or PKCS#8 DER EC key on P-256. */
    public static BigInteger scalarOf(byte[] der) {
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a DER EC private key (SEC1 or PKCS#8): " + e.getMessage(), e);
        }
        try {
            ECPrivateKey sec1;
            ASN1ObjectIdentifier curve;
            if (sequence.size() >= 2 && sequence.getObjectAt(1) instanceof ASN1Sequence) {
                // PKCS#8: version 0, AlgorithmIdentifier(ecPublicKey, curve), OCTET STRING(SEC1)
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(sequence);
                if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
                    throw new IllegalArgumentException("PKCS#8 key is not an EC key: "
                            + info.getPrivateKeyAlgorithm().getAlgorithm());
                }
                curve = asCurve(info.getPrivateKeyAlgorithm().getParameters());
                sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
            } else {
                // SEC1: version 1, OCTET STRING(d), [0] curve, [1] public key
                if (!(sequence.getObjectAt(0) instanceof ASN1Integer version) || !BigInteger.ONE.equals(version.getValue())) {
                    throw new IllegalArgumentException("SEC1 ECPrivateKey must start with version 1");
                }
                sec1 = ECPrivateKey.getInstance(sequence);
                curve = asCurve(sec1.getParametersObject());
            }
            if (curve != null && !X9ObjectIdentifiers.prime256v1.equals(curve)) {
                throw new IllegalArgumentException("EC key is on curve " + curve + ", not P-256 (prime256v1)");
            }
            BigInteger d = sec1.getKey();
            if (d.signum() <= 0 || d.bitLength() > 256) {
                throw new IllegalArgumentException("EC private scalar is out of range for P-256");
            }
            return d;
        } catch (IOException | IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException("malformed EC private key: " + e.getMessage(), e);
        }
    }

    /** Whether the DER private key's public point is the given public key's. */
    public static boolean belongsTo(byte[] privateKeyDer, PublicKey publicKey) {
        if (!(publicKey instanceof ECPublicKey ec)) {
            return false;
        }
        ECPoint derived = P256_GENERATOR.multiply(scalarOf(privateKeyDer)).normalize();
        return derived.getAffineXCoord().toBigInteger().equals(ec.getW().getAffineX())
                && derived.getAffineYCoord().toBigInteger().equals(ec.getW().getAffineY());
    }

    private static ASN1ObjectIdentifier asCurve(ASN1Encodable parameters) {
        return parameters instanceof ASN1ObjectIdentifier oid ? oid : null;
    }
}
