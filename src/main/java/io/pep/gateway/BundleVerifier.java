package io.pep.gateway;

import io.pep.injector.Bundle;
import io.pep.injector.BundleItem;
import io.pep.injector.CertificateAuthority;
import io.pep.injector.EcPrivateKeys;
import io.pep.injector.FccCertificateProfile;
import io.pep.injector.FccReturnStatus;
import io.pep.injector.FccItemNames;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.math.BigInteger;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks the real FCC makes on a bundle (SPEC.md §7), with its ReturnStatus numbers. Items
 * are first checked one by one as FCC stores them (duplicates, types, parsable keys and
 * certificates); with Verify=1 the whole session is then checked as FCC's device verification
 * does. Stateless: the session's items are passed in.
 */
final class BundleVerifier {

    /** FCC refuses a CurrentTime before 2017-01-01 (seen: 1483264800 is its lower bound). */
    static final long MIN_CURRENT_TIME = 1_483_264_800L;
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final Pattern UTC_OFFSET = Pattern.compile("[+-]\\d{2}:\\d{2}");
    private static final Duration NOT_YET_VALID_TOLERANCE = Duration.ofSeconds(60);
    private static final Duration LONG_VALIDITY = Duration.ofDays(3652);

    private static final List<String> REQUIRED = List.of(
            FccItemNames.ENDPOINT_NAME, FccItemNames.MANUFACTURER, FccItemNames.MODEL_NUMBER,
            FccItemNames.DEVICE_TYPE, FccItemNames.HARDWARE_VERSION, FccItemNames.MEMORY_TOTAL_KB,
            FccItemNames.SERIAL_NUMBER, FccItemNames.USE_BOOTSTRAP, FccItemNames.BOOTSTRAP_SERVER_URI,
            FccItemNames.BOOTSTRAP_SERVER_CA_CERT, FccItemNames.BOOTSTRAP_DEVICE_PRIVATE_KEY,
            FccItemNames.BOOTSTRAP_DEVICE_CERT);
    private static final List<String> WARNED_WHEN_MISSING = List.of(
            FccItemNames.CURRENT_TIME, FccItemNames.TIMEZONE, FccItemNames.UTC_OFFSET,
            FccItemNames.UPDATE_AUTH_CERT, FccItemNames.VENDOR_ID, FccItemNames.CLASS_ID);

    /**
     * Checks one message, adding its accepted items to {@code session} (FCC keeps what it stored
     * before a later item failed).
     */
    Verdict verify(Bundle bundle, Map<String, BundleItem> session, Instant now) {
        for (BundleItem item : bundle.keys()) {
            Verdict refused = storeKey(item, session);
            if (refused != null) {
                return refused;
            }
        }
        for (BundleItem item : bundle.certificates()) {
            Verdict refused = storeCertificate(item, session);
            if (refused != null) {
                return refused;
            }
        }
        for (BundleItem item : bundle.configParams()) {
            Verdict refused = storeConfig(item, session);
            if (refused != null) {
                return refused;
            }
        }
        return bundle.verifies() ? verifyDevice(session, now) : Verdict.success(List.of());
    }

    private static Verdict storeKey(BundleItem item, Map<String, BundleItem> session) {
        Verdict refused = refuseDuplicateOrEmpty(item, session);
        if (refused != null) {
            return refused;
        }
        if (!item.isBytes()) {
            return Verdict.failure(FccReturnStatus.KCM_CRYPTO_ERROR, item.name());
        }
        if (BundleItem.TYPE_EC_PRIVATE.equals(item.type())) {
            try {
                EcPrivateKeys.scalarOf(item.bytes());
            } catch (IllegalArgumentException e) {
                return Verdict.failure(FccReturnStatus.KCM_CRYPTO_ERROR, item.name());
            }
        }
        session.put(item.name(), item);
        return null;
    }

    private static Verdict storeCertificate(BundleItem item, Map<String, BundleItem> session) {
        Verdict refused = refuseDuplicateOrEmpty(item, session);
        if (refused != null) {
            return refused;
        }
        if (!item.isBytes() || parse(item) == null) {
            return Verdict.failure(FccReturnStatus.INVALID_CERTIFICATE, item.name());
        }
        session.put(item.name(), item);
        return null;
    }

    private static Verdict storeConfig(BundleItem item, Map<String, BundleItem> session) {
        Verdict refused = refuseDuplicateOrEmpty(item, session);
        if (refused != null) {
            return refused;
        }
        FccReturnStatus typeError = switch (item.name()) {
            case FccItemNames.USE_BOOTSTRAP -> item.unsignedValue() == null ? FccReturnStatus.BOOTSTRAP_MODE_ERROR : null;
            case FccItemNames.FIRST_TO_CLAIM -> item.unsignedValue() == null ? FccReturnStatus.URI_WRONG_FORMAT : null;
            // SPEC.md §7 saw 30 for a text UseBootstrap; MemoryTotalKB's code was not recorded, 30 is assumed
            case FccItemNames.MEMORY_TOTAL_KB -> item.unsignedValue() == null ? FccReturnStatus.BOOTSTRAP_MODE_ERROR : null;
            case FccItemNames.CURRENT_TIME -> {
                BigInteger time = item.unsignedValue();
                yield time == null || time.compareTo(BigInteger.valueOf(MIN_CURRENT_TIME)) < 0
                        ? FccReturnStatus.ERROR : null;
            }
            case FccItemNames.UTC_OFFSET ->
                    item.isText() && UTC_OFFSET.matcher(item.text()).matches() ? null : FccReturnStatus.UTC_OFFSET_WRONG_FORMAT;
            case FccItemNames.VENDOR_ID, FccItemNames.CLASS_ID ->
                    item.isBytes() && item.bytes().length == 16 ? null : FccReturnStatus.WRONG_ITEM_DATA_SIZE;
            case FccItemNames.BOOTSTRAP_SERVER_URI, FccItemNames.LWM2M_SERVER_URI ->
                    item.isText() ? null : FccReturnStatus.URI_WRONG_FORMAT;
            default -> null;
        };
        if (typeError != null) {
            return Verdict.failure(typeError, item.name());
        }
        session.put(item.name(), item);
        return null;
    }

    private static Verdict refuseDuplicateOrEmpty(BundleItem item, Map<String, BundleItem> session) {
        if (session.containsKey(item.name())) {
            return Verdict.failure(FccReturnStatus.KCM_FILE_EXIST_ERROR, item.name());
        }
        boolean empty = item.data() == null || (item.isText() && item.text().isEmpty())
                || (item.isBytes() && item.bytes().length == 0);
        return empty ? Verdict.failure(FccReturnStatus.EMPTY_ITEM, item.name()) : null;
    }

    /** FCC's device verification over everything the session stored. */
    private static Verdict verifyDevice(Map<String, BundleItem> session, Instant fallbackNow) {
        for (String name : REQUIRED) {
            if (!session.containsKey(name)) {
                return Verdict.failure(FccReturnStatus.ITEM_NOT_EXIST, name);
            }
        }
        List<String> warnings = new ArrayList<>();
        boolean firstToClaim = isOne(session.get(FccItemNames.FIRST_TO_CLAIM));
        if (!isOne(session.get(FccItemNames.USE_BOOTSTRAP))) {
            return firstToClaim ? Verdict.failure(FccReturnStatus.FIRST_TO_CLAIM_CONFIGURATION_ERROR, FccItemNames.USE_BOOTSTRAP)
                    : Verdict.failure(FccReturnStatus.BOOTSTRAP_MODE_ERROR, FccItemNames.USE_BOOTSTRAP);
        }
        String uri = session.get(FccItemNames.BOOTSTRAP_SERVER_URI).text();
        if (!(uri.startsWith("coap://") || uri.startsWith("coaps://"))) {
            return Verdict.failure(FccReturnStatus.URI_WRONG_FORMAT, FccItemNames.BOOTSTRAP_SERVER_URI);
        }
        boolean hasAid = uri.contains("?aid=") || uri.contains("&aid=");
        if (firstToClaim && hasAid) {
            return Verdict.failure(FccReturnStatus.FIRST_TO_CLAIM_CONFIGURATION_ERROR, FccItemNames.BOOTSTRAP_SERVER_URI);
        }
        if (!firstToClaim && !hasAid) {
            return Verdict.failure(FccReturnStatus.URI_WRONG_FORMAT, FccItemNames.BOOTSTRAP_SERVER_URI);
        }
        if (session.containsKey(FccItemNames.LWM2M_SERVER_URI)) {
            warnings.add("Item ignored in bootstrap mode:" + FccItemNames.LWM2M_SERVER_URI);
        }
        X509Certificate serverCa = parse(session.get(FccItemNames.BOOTSTRAP_SERVER_CA_CERT));
        if (!"EC".equals(serverCa.getPublicKey().getAlgorithm())) {
            return Verdict.failure(FccReturnStatus.INVALID_CERTIFICATE, FccItemNames.BOOTSTRAP_SERVER_CA_CERT);
        }
        BundleItem currentTime = session.get(FccItemNames.CURRENT_TIME);
        Instant now = currentTime == null ? fallbackNow : Instant.ofEpochSecond(currentTime.unsignedValue().longValueExact());
        Verdict refused = verifyDeviceCertificate(session, now, warnings);
        if (refused != null) {
            return refused;
        }
        // checked after the device's own credentials, as FCC checks firmware-update integrity last; the
        // bootstrap server CA's dates, on the other hand, FCC does not look at (SPEC §7)
        BundleItem updateAuth = session.get(FccItemNames.UPDATE_AUTH_CERT);
        if (updateAuth != null) {
            X509Certificate certificate = parse(updateAuth);
            if (FccCertificateProfile.mismatch(certificate).isPresent()) {
                // the real FCC's crypto layer refuses it before looking at its dates, in its general words
                return Verdict.failure(FccReturnStatus.KCM_CRYPTO_ERROR, FccCertificateProfile.UNPARSEABLE_TEXT,
                        FccItemNames.UPDATE_AUTH_CERT);
            }
            if (certificate.getNotAfter().toInstant().isBefore(now)) {
                return Verdict.failure(FccReturnStatus.EXPIRED_CERTIFICATE, FccItemNames.UPDATE_AUTH_CERT);
            }
            if (FccCertificateProfile.notYetValid(certificate, now)) {
                warnings.add(FccCertificateProfile.NOT_YET_VALID_WARNING + ":" + FccItemNames.UPDATE_AUTH_CERT);
            }
        }
        for (String name : WARNED_WHEN_MISSING) {
            if (!session.containsKey(name)) {
                warnings.add("Item not set:" + name);
            }
        }
        return Verdict.success(warnings);
    }

    private static Verdict verifyDeviceCertificate(Map<String, BundleItem> session, Instant now, List<String> warnings) {
        String name = FccItemNames.BOOTSTRAP_DEVICE_CERT;
        X509Certificate certificate = parse(session.get(name));
        if (FccCertificateProfile.mismatch(certificate).isPresent()) {
            return Verdict.failure(FccReturnStatus.INVALID_CERTIFICATE, name);
        }
        byte[] privateKey = session.get(FccItemNames.BOOTSTRAP_DEVICE_PRIVATE_KEY).bytes();
        if (!EcPrivateKeys.belongsTo(privateKey, certificate.getPublicKey())) {
            return Verdict.failure(FccReturnStatus.CERTIFICATE_PUBLIC_KEY_CORRELATION_ERROR, name);
        }
        BundleItem endpoint = session.get(FccItemNames.ENDPOINT_NAME);
        if (!endpoint.isText() || !endpoint.text().equals(commonName(certificate))) {
            return Verdict.failure(FccReturnStatus.INVALID_LWM2M_CN_ATTR, name);
        }
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
                return Verdict.failure(FccReturnStatus.INVALID_CERTIFICATE, name);
            }
        } catch (CertificateParsingException e) {
            return Verdict.failure(FccReturnStatus.INVALID_CERTIFICATE, name);
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            return Verdict.failure(FccReturnStatus.EXPIRED_CERTIFICATE, name);
        }
        if (certificate.getNotBefore().toInstant().isAfter(now.plus(NOT_YET_VALID_TOLERANCE))) {
            warnings.add(FccCertificateProfile.NOT_YET_VALID_WARNING + ":" + name);
        }
        if (Duration.between(now, notAfter).compareTo(LONG_VALIDITY) < 0) {
            warnings.add("Certificate validity is less than 10 years:" + name);
        }
        if (certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            warnings.add("Certificate is self signed:" + name);
        }
        return null;
    }

    /** The subject's CN as written in the certificate, or null when there is none. */
    static String commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] names = subject.getRDNs(BCStyle.CN);
        if (names.length == 0 || !(names[0].getFirst().getValue() instanceof ASN1String text)) {
            return null;
        }
        return text.getString();
    }

    private static boolean isOne(BundleItem item) {
        return item != null && BigInteger.ONE.equals(item.unsignedValue());
    }

    private static X509Certificate parse(BundleItem item) {
        try {
            return CertificateAuthority.parseDer(item.bytes());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
