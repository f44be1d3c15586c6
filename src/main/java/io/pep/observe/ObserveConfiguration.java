package io.pep.observe;

import com.mongodb.client.MongoClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pep.provisioning.ToolSettings;
import io.pep.provisioning.ToolSlots;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Health checks and metrics (docs/operations.md). The meter registry is bound as
 * {@code metricsRegistry}, the name camel-micrometer-prometheus looks for, so Camel's own route
 * metrics (when {@code camel.metrics.enabled}) and pep's land in one scrape.
 */
public class ObserveConfiguration implements CamelConfiguration {

    private PrometheusMeterRegistry registry;
    private ProvisioningMetrics metrics;

    /** The one Camel's metrics (camel.metrics.enabled) created, when it was first; a new one otherwise. */
    @BindToRegistry("metricsRegistry")
    public synchronized PrometheusMeterRegistry metricsRegistry(CamelContext context) {
        if (registry == null) {
            registry = context.getRegistry().lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class);
        }
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
    public MetricsScrape metricsScrape(CamelContext context) {
        return new MetricsScrape(metricsRegistry(context));
    }

    @BindToRegistry("provisioningMetrics")
    public synchronized ProvisioningMetrics provisioningMetrics(CamelContext context) {
        if (metrics == null) {
            metrics = new ProvisioningMetrics(metricsRegistry(context),
                    () -> context.getRegistry().lookupByNameAndType("toolSlots", ToolSlots.class));
        }
        return metrics;
    }

    // Health checks are beans: Camel's health registry takes every HealthCheck bound in the registry.
    @BindToRegistry("storeHealthCheck")
    public StoreHealthCheck storeHealthCheck(CamelContext context,
            @PropertyInject("pep.mongo.database") String database,
            @PropertyInject("pep.health.store-timeout") long timeoutMs) {
        return new StoreHealthCheck(() -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                database, timeoutMs);
    }

    @BindToRegistry("factoryToolHealthCheck")
    public FactoryToolHealthCheck factoryToolHealthCheck(CamelContext context,
            @PropertyInject("pep.fcu.config-dir") String configDir) {
        return new FactoryToolHealthCheck(
                () -> context.getRegistry().lookupByNameAndType("toolSettings", ToolSettings.class), configDir);
    }

    @BindToRegistry("exportTargetsHealthCheck")
    public ExportTargetsHealthCheck exportTargetsHealthCheck(
            @PropertyInject("pep.export.csv.enabled") boolean csvEnabled,
            @PropertyInject("pep.export.csv.dir") String dropFolder,
            @PropertyInject("pep.export.upload.enabled") boolean uploadEnabled,
            @PropertyInject("pep.portal.url") String portalUrl,
            @PropertyInject("pep.health.portal-timeout") int portalTimeoutMs) {
        return new ExportTargetsHealthCheck(csvEnabled, dropFolder, uploadEnabled, portalUrl, portalTimeoutMs);
    }

    @Override
    public void configure(CamelContext context) {
        var properties = context.getPropertiesComponent();
        java.util.function.Function<String, String> p = key -> properties.resolveProperty(key).orElseThrow(
                () -> new IllegalStateException(key + " is not set"));
        new StoreStatistics(() -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                p.apply("pep.mongo.database"), p.apply("pep.mongo.collection"),
                p.apply("pep.export.runs-collection"), Long.parseLong(p.apply("pep.metrics.store-refresh")))
                .bindTo(metricsRegistry(context));
        provisioningMetrics(context);
    }
}
