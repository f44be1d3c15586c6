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

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Found"), Map.entry(303, "See Other"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(408, "Request Timeout"),
            Map.entry(410, "Gone"), Map.entry(413, "Payload Too Large"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"));
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

    /**
     * Throws a {@link PortalCallFailed} unless {@code status} is 2xx or {@code accepted}: a status
     * that is an answer to the caller, not a failure ({@code 404}, or {@code 3xx} for any redirect).
     */
    public void check(Integer status, String retryAfter, String action, String body, String accepted) {
        check(status, retryAfter, action, body, accepted, "the portal", true);
    }

    /**
     * As {@link #check(Integer, String, String, String, String)}, for a call to {@code who} (the
     * portal, or the host of a report link) that carried the API key or not ({@code keyed}): a 401
     * or 403 points at the key only when it was sent.
     */
    public void check(Integer status, String retryAfter, String action, String body, String accepted, String who,
            boolean keyed) {
        int code = status == null ? 0 : status;
        if ((code >= 200 && code < 300) || accepts(accepted, code)) {
            return;
        }
        long now = System.currentTimeMillis();
        long wait = retryAfterMs(retryAfter, now);
        boolean retryable = (code >= 500 || code == 429 || code == 408) && (wait < 0 || wait <= maxDelayMs);
        long retryAt = wait < 0 ? 0 : now + wait;
        String sentence = who + " answered " + code + " " + REASONS.getOrDefault(code, "") + " to " + action
                + (wait >= 0 ? " and asked to wait until " + CLOCK.format(Instant.ofEpochMilli(retryAt)) : "")
                + detail(code, body, keyed);
        throw new PortalCallFailed(sentence.replace("  ", " "), code, retryable, retryAt);
    }

    private static boolean accepts(String accepted, int code) {
        if (accepted == null || accepted.isBlank()) {
            return false;
        }
        String text = accepted.trim();
        return text.equalsIgnoreCase("3xx") ? code >= 300 && code < 400 : text.equals(String.valueOf(code));
    }

    /**
     * The error report of {@code bulk} ("bulk upload …", "bulk delete …") could not be read (after the retries of a retryable
     * failure): the bulk is not settled in this run, whatever the cause, so one bad report link
     * never stops a run. The sentence says what happened; the cause is kept.
     */
    public void reportFailed(Throwable failure, String bulk) {
        throw new BulkNotSettled("the error report of " + bulk + " could not be read: "
                + Sentences.of(failure, "the error report download of " + bulk), failure);
    }

    /** The portal did not complete {@code bulk} (or its report) within {@code polls} status polls: not settled in this run. */
    public void notCompleted(String bulk, int polls) {
        throw new BulkNotSettled("the portal did not complete " + bulk + " (or its error report) within " + polls
                + " polls (pep.portal.poll.max); its ids stay with it");
    }

    private static String detail(int code, String body, boolean keyed) {
        if ((code == 401 || code == 403) && keyed) {
            return " (check pep.portal.api-key / PEP_PORTAL_API_KEY)";
        }
        if (code == 401 || code == 403) {
            return " (fetched without the API key: pep sends it only to pep.portal.url's scheme, host and port, never after a redirect)";
        }
        if (code >= 300 && code < 400) {
            return " (a redirect pep does not follow)";
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
