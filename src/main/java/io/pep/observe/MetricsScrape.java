package io.pep.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;

/** Answers {@code /observe/metrics}: every meter in the Prometheus text format (0.0.4). */
public class MetricsScrape {

    private final PrometheusMeterRegistry registry;

    public MetricsScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public void scrape(Exchange exchange) {
        var out = exchange.getMessage();
        out.removeHeaders("*", "Camel*");
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setBody(registry.scrape());
    }
}
