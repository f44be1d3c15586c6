package io.pep.api;

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
    final java.util.Set<String> asked = new java.util.LinkedHashSet<>(); // names the routes read (docs test)

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    public static QueryParameters parse(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(values);
    }

    /** The single value of {@code name}; empty when absent; 400 when given more than once. */
    public Optional<String> single(String name) {
        asked.add(name);
        List<String> given = values.getOrDefault(name, Collections.emptyList());
        if (given.size() > 1) {
            throw ApiProblem.badRequest("Invalid request: parameter '" + name + "' is given " + given.size()
                    + " times; give it once");
        }
        return given.isEmpty() ? Optional.empty() : Optional.of(given.get(0));
    }

    /** Like {@link #single(String)}, but an empty value counts as absent. */
    public Optional<String> nonEmpty(String name) {
        return single(name).filter(v -> !v.isEmpty());
    }

    private static String decode(String text) {
        byte[] bytes = new byte[text.length() * 3];
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes[length++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw malformed(text);
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw malformed(text);
                }
                bytes[length++] = (byte) (hi << 4 | lo);
                i += 2;
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
            throw ApiProblem.badRequest("Invalid request: the query string is not valid UTF-8 once decoded");
        }
    }

    private static ApiProblem malformed(String text) {
        return ApiProblem.badRequest("Invalid request: malformed percent-encoding in the query string near '"
                + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
    }
}
