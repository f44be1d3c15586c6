package io.pep.injector;

import java.util.Optional;

/**
 * The {@code ReturnStatus} of an FCC response (mbed-cloud-client {@code fcc_status_e}, in its
 * order). The texts of 1, 13, 17, 25 and 29 and the success text are what the real FCC was seen to
 * send (SPEC.md §7); those of 4, 6-10, 12, 14, 26-30, 33 and 34 are the client's own strings for
 * them (its output-info handler); 18 comes with the text of the crypto layer's failure (for an
 * update-auth certificate it cannot parse, "General error": {@link FccCertificateProfile}); the
 * protocol-layer ones (20-24, 35) follow the enum names, where the client says "General error".
 */
public enum FccReturnStatus implements WireStatus {
    SUCCESS(0, "The Factory process succeeded\n"),
    ERROR(1, "General error"),
    MEMORY_OUT(2, "Out of memory"),
    INVALID_PARAMETER(3, "Invalid parameter"),
    STORE_ERROR(4, "Internal storage error"),
    INTERNAL_ITEM_ALREADY_EXIST(5, "Internal item already exists"),
    CA_ERROR(6, "CA error"),
    ROT_ERROR(7, "Root of trust error"),
    ENTROPY_ERROR(8, "Entropy error"),
    FACTORY_DISABLED_ERROR(9, "Factory disabled error"),
    INVALID_CERTIFICATE(10, "Certificate invalid"),
    INVALID_CERT_ATTRIBUTE(11, "Invalid certificate attribute"),
    INVALID_CA_CERT_SIGNATURE(12, "Validation of CA certificate failed"),
    EXPIRED_CERTIFICATE(13, "Certificate expired"),
    INVALID_LWM2M_CN_ATTR(14, "Certificate CN attribute invalid"),
    KCM_ERROR(15, "KCM error"),
    KCM_STORAGE_ERROR(16, "KCM storage error"),
    KCM_FILE_EXIST_ERROR(17, "Data already exists"),
    KCM_CRYPTO_ERROR(18, "KCM crypto error"),
    NOT_INITIALIZED(19, "Not initialized"),
    BUNDLE_ERROR(20, "Protocol error"),
    BUNDLE_RESPONSE_ERROR(21, "Protocol response error"),
    BUNDLE_UNSUPPORTED_GROUP(22, "Unsupported group"),
    BUNDLE_INVALID_GROUP(23, "Invalid group"),
    BUNDLE_INVALID_SCHEME(24, "Invalid scheme"),
    ITEM_NOT_EXIST(25, "Item does not exist"),
    EMPTY_ITEM(26, "Item empty"),
    WRONG_ITEM_DATA_SIZE(27, "Item size is wrong"),
    URI_WRONG_FORMAT(28, "URI format incorrect"),
    FIRST_TO_CLAIM_CONFIGURATION_ERROR(29, "first to claim not allowed"),
    BOOTSTRAP_MODE_ERROR(30, "Bootstrap mode value incorrect"),
    OUTPUT_INFO_ERROR(31, "Output info error"),
    WARNING_CREATE_ERROR(32, "Warning create error"),
    UTC_OFFSET_WRONG_FORMAT(33, "UTC offset incorrect"),
    CERTIFICATE_PUBLIC_KEY_CORRELATION_ERROR(34, "Certificate public key validation failed"),
    BUNDLE_INVALID_KEEP_ALIVE_SESSION_STATUS(35, "Invalid keep-alive session status"),
    TOO_MANY_CSR_REQUESTS(36, "Too many CSR requests"),
    NOT_SUPPORTED(37, "Not supported");

    private final int code;
    private final String text;

    FccReturnStatus(int code, String text) {
        this.code = code;
        this.text = text;
    }

    @Override
    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** The InfoMessage FCC sends for this status about one item: {@code <text>:<item name>}. */
    public String messageFor(String itemName) {
        return itemName == null ? text : text + ":" + itemName;
    }

    public static Optional<FccReturnStatus> ofCode(long code) {
        return WireStatus.ofCode(FccReturnStatus.class, code);
    }

    /** "25 ITEM_NOT_EXIST", or the bare number for a code this enum does not know. */
    public static String describe(long code) {
        return WireStatus.describe(FccReturnStatus.class, code);
    }
}
