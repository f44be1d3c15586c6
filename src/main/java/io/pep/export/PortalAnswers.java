package io.pep.export;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the portal's answer to one call (export-upload.camel.yaml, route {@code portal-call-once}):
 * a 2xx passes, anything else becomes a {@link PortalCallFailed} that says in words what the portal
 * answered to what, and how long to wait before the next try when the portal said
 * ({@code Retry-After} on 429 and 503, in seconds or as an HTTP date).
 */
public class PortalAnswers {

    private static final Map<Integer, String> REASONS = Map.of(400, "Bad Request", 401, "Unauthorized", 403, "Forbidden",
            404, "Not Found", 408, "Request Timeout", 413, "Payload Too Large", 429, "Too Many Requests",
            500, "Internal Server Error", 502, "Bad Gateway", 503, "Service Unavailable");
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final long maxDelayMs;

    /** @param maxDelayMs the longest pause between two tries in one run ({@code pep.portal.retry.max-delay}) */
    public PortalAnswers(long maxDelayMs) {
        this.maxDelayMs = maxDelayMs;
    }

    /**
     * The pause the portal asked for before the next try, for Camel's redelivery (header
     * {@code CamelRedeliveryDelay}); null when it did not ask (the configured back-off applies).
     */
    public Long retryDelay(Integer status, String retryAfter) {
        if (status == null || (status != 429 && status != 503)) {
            return null;
        }
        long ms = retryAfterMs(retryAfter, System.currentTimeMillis());
        return ms < 0 ? null : Math.min(ms, maxDelayMs);
    }

    /** Whether a failed call is tried again in this run: transport errors, and answers the portal may give differently later. */
    public boolean retryable(Throwable failure) {
        if (failure instanceof PortalCallFailed refusal) {
            return refusal.isRetryable();
        }
        return failure instanceof java.io.IOException;
    }

    /** A call the portal did not answer (refused, timed out, dropped): a retryable failure that says so. */
    public void unanswered(Throwable failure, String action) {
        throw new PortalCallFailed(Sentences.of(failure, action), 0, true, 0);
    }

    /** Throws a {@link PortalCallFailed} unless {@code status} is 2xx or {@code accepted}. */
    public void check(Integer status, String retryAfter, String action, String body, Integer accepted) {
        int code = status == null ? 0 : status;
        if ((code >= 200 && code < 300) || (accepted != null && code == accepted)) {
            return;
        }
        long now = System.currentTimeMillis();
        long wait = retryAfterMs(retryAfter, now);
        boolean retryable = (code >= 500 || code == 429 || code == 408) && (wait < 0 || wait <= maxDelayMs);
        long retryAt = wait < 0 ? 0 : now + wait;
        String sentence = "the portal answered " + code + " " + REASONS.getOrDefault(code, "") + " to " + action
                + (wait >= 0 ? " and asked to wait until " + CLOCK.format(Instant.ofEpochMilli(retryAt)) : "")
                + detail(code, body);
        throw new PortalCallFailed(sentence.replace("  ", " "), code, retryable, retryAt);
    }

    private static String detail(int code, String body) {
        if (code == 401 || code == 403) {
            return " (check pep.portal.api-key / PEP_PORTAL_API_KEY)";
        }
        if (code == 413) {
            return " (lower pep.portal.max-file-bytes)";
        }
        if (body == null || body.isBlank() || code >= 500 || code == 429) {
            return "";
        }
        String text = body.strip().replaceAll("\\s+", " ");
        return " (" + (text.length() > 160 ? text.substring(0, 160) + "…" : text) + ")";
    }

    /** {@code Retry-After} in ms from {@code now}: delta-seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfterMs(String retryAfter, long now) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return -1;
        }
        String value = retryAfter.trim();
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                        .toInstant().toEpochMilli() - now);
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }
}
