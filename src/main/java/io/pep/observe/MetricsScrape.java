package io.pep.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Answers {@code /observe/metrics}: every meter in the Prometheus text format (0.0.4; the route sets the headers). */
public class MetricsScrape {

    private final PrometheusMeterRegistry registry;

    public MetricsScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
