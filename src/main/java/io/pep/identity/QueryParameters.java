package io.pep.identity;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of one request, parsed from the raw query string rather than taken from
 * Camel's headers: so an HTTP header can never pose as a parameter, a parameter given twice is
 * seen, and every value is a plain string (no {@code serialNumber[$ne]=} operator objects).
 * Decoding is that of HTML forms and the old Express server: {@code %XX} UTF-8 and {@code +} as space.
 */
public final class QueryParameters {

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses a query string as it came off the wire, one char per byte (the HTTP server reads the
     * request line as ISO-8859-1): bytes ≥ 0x80 that an old client sent unencoded are UTF-8 like
     * {@code %XX} escapes, so both decode to the same text, and bytes that are not UTF-8 are refused
     * the same way. A char above U+00FF cannot come off the wire; it is taken as the text it is.
     */
    public static QueryParameters parse(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), null);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(values);
    }

    /** The single value of {@code name}; empty when absent; 400 when given more than once. */
    public Optional<String> single(String name) {
        List<String> given = values.getOrDefault(name, Collections.emptyList());
        if (given.size() > 1) {
            throw new InvalidRequest("Invalid request: parameter '" + name + "' is given " + given.size()
                    + " times; give it once");
        }
        return given.isEmpty() ? Optional.empty() : Optional.of(given.get(0));
    }

    /** Like {@link #single(String)}, but an empty value counts as absent. */
    public Optional<String> nonEmpty(String name) {
        return single(name).filter(v -> !v.isEmpty());
    }

    /** {@code parameter} names the value's parameter in the message; null while decoding a name. */
    private static String decode(String text, String parameter) {
        byte[] bytes = new byte[text.length() * 3];
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes[length++] = ' ';
            } else if (c == '%') {
                int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw invalid(parameter, "has a malformed %-escape ('"
                            + printable(text.substring(i, Math.min(i + 3, text.length()))) + "')");
                }
                bytes[length++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c <= 0xFF) {
                bytes[length++] = (byte) c; // a raw byte of the request line
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    utf8 = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                System.arraycopy(utf8, 0, bytes, length, utf8.length);
                length += utf8.length;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(parameter, "is not valid UTF-8 (raw or %-escaped bytes)");
        }
    }

    private static InvalidRequest invalid(String parameter, String what) {
        String subject = parameter == null ? "a parameter name in the query string"
                : "parameter '" + printable(parameter) + "'";
        return new InvalidRequest("Invalid request: " + subject + " " + what
                + "; send values as UTF-8, %-encoded (e.g. %C3%BC for \u00fc)");
    }

    /** Text for a one-line message: no control characters, not too long. */
    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "\u2026" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
