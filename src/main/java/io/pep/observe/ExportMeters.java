package io.pep.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What export runs did with each id, counted as the portal's reports are settled
 * ({@code pep_export_ids_total{kind, outcome}}): {@code uploaded} (created), {@code duplicate}
 * (the portal held it already), {@code refused} (a per-id error other than duplicate),
 * {@code given_up} (refused and not sent again by itself), {@code unsettled} (handed back to be sent
 * again because its bulk was lost or given up); and of retired identities removed from the portal
 * ({@code kind="delete"}): {@code sent} (in a bulk delete), {@code deleted}, {@code not_found} (the
 * portal did not hold it: done), {@code failed} (refused, sent again later). The outcomes exist from the start at 0, so
 * an alert on {@code increase(...)} sees 0, not nothing.
 */
public class ExportMeters {

    public static final List<String> UPLOAD_OUTCOMES = List.of("uploaded", "duplicate", "refused", "given_up", "unsettled");
    /** Retired identities removed from the portal by upload runs ({@code kind="delete"}). */
    public static final String DELETE = "delete";
    public static final List<String> DELETE_OUTCOMES = List.of("sent", "deleted", "not_found", "failed");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ExportMeters(MeterRegistry registry) {
        this.registry = registry;
        UPLOAD_OUTCOMES.forEach(outcome -> counter("upload", outcome));
        DELETE_OUTCOMES.forEach(outcome -> counter(DELETE, outcome));
    }

    /** Counts {@code n} ids of a run of {@code kind} with this outcome. */
    public void count(String kind, String outcome, long n) {
        if (n > 0) {
            counter(kind, outcome).increment(n);
        }
    }

    private Counter counter(String kind, String outcome) {
        return counters.computeIfAbsent(kind + "|" + outcome, key -> Counter.builder("pep.export.ids")
                .description("Ids export runs settled, by run kind and outcome")
                .tags("kind", kind, "outcome", outcome).register(registry));
    }
}
