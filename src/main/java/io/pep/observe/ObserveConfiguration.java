package io.pep.observe;

import com.mongodb.client.MongoClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pep.provisioning.ToolSlots;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Health checks and metrics (docs/operations.md). The meter registry is bound as
 * {@code metricsRegistry}, the name camel-micrometer-prometheus looks for, so Camel's own route
 * metrics (when {@code camel.metrics.enabled}) and pep's land in one scrape.
 */
public class ObserveConfiguration implements CamelConfiguration {

    private PrometheusMeterRegistry registry;
    private ProvisioningMetrics metrics;

    @BindToRegistry("metricsRegistry")
    public synchronized PrometheusMeterRegistry metricsRegistry() {
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
        return registry;
    }

    @BindToRegistry("healthReport")
    public HealthReport healthReport() {
        return new HealthReport();
    }

    @BindToRegistry("metricsScrape")
    public MetricsScrape metricsScrape() {
        return new MetricsScrape(metricsRegistry());
    }

    @BindToRegistry("provisioningMetrics")
    public synchronized ProvisioningMetrics provisioningMetrics(CamelContext context) {
        if (metrics == null) {
            metrics = new ProvisioningMetrics(metricsRegistry(),
                    () -> context.getRegistry().lookupByNameAndType("toolSlots", ToolSlots.class));
        }
        return metrics;
    }

    @Override
    public void configure(CamelContext context) {
        var properties = context.getPropertiesComponent();
        java.util.function.Function<String, String> p = key -> properties.resolveProperty(key).orElseThrow(
                () -> new IllegalStateException(key + " is not set"));
        java.util.function.Supplier<MongoClient> client =
                () -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new StoreHealthCheck(client, p.apply("pep.mongo.database"),
                Long.parseLong(p.apply("pep.health.store-timeout"))));
        health.register(new FactoryToolHealthCheck(p.apply("pep.tool.mode"), p.apply("pep.tool.executable"),
                p.apply("pep.tool.working-dir"), properties.resolveProperty("pep.tool.args").orElse(""),
                p.apply("pep.fcu.config-dir")));
        health.register(new ExportTargetsHealthCheck(Boolean.parseBoolean(p.apply("pep.export.csv.enabled")),
                p.apply("pep.export.csv.dir"), Boolean.parseBoolean(p.apply("pep.export.upload.enabled")),
                p.apply("pep.portal.url"), Integer.parseInt(p.apply("pep.health.portal-timeout"))));
        new StoreStatistics(client, p.apply("pep.mongo.database"), p.apply("pep.mongo.collection"),
                p.apply("pep.export.runs-collection"), Long.parseLong(p.apply("pep.metrics.store-refresh")))
                .bindTo(metricsRegistry());
        provisioningMetrics(context);
    }
}
