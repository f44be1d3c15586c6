package io.pep.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A first-to-claim enrollment identity: {@code A-} followed by the SHA-256 fingerprint of the
 * device certificate's DER as 32 colon-separated hex bytes (97 characters in all).
 */
public final class EnrollmentId {

    /** What ft_demo prints before the id; the original took the 97 characters after it. */
    public static final String OUTPUT_MARKER = "enrollment id: ";

    private static final Pattern FORM = Pattern.compile("A-[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}");
    private static final Pattern IN_OUTPUT =
            Pattern.compile(Pattern.quote(OUTPUT_MARKER) + "(A-[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31})(?![0-9A-Fa-f:])");
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private EnrollmentId() {
    }

    /** The enrollment id of a certificate, from its DER encoding (upper-case hex, as FCU prints it). */
    public static String ofCertificate(byte[] certificateDer) {
        try {
            return "A-" + COLON_HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(certificateDer));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** True when the text is exactly one well-formed enrollment id. */
    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /**
     * The enrollment id the factory tool printed as {@code enrollment id: A-…}; empty when the
     * output holds none or only a malformed one. The last occurrence wins (a retrying tool may
     * print several lines).
     */
    public static Optional<String> findInToolOutput(String output) {
        if (output == null) {
            return Optional.empty();
        }
        Matcher matcher = IN_OUTPUT.matcher(output);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1);
        }
        return Optional.ofNullable(found);
    }
}
