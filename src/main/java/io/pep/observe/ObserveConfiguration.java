package io.pep.observe;

import com.mongodb.client.MongoClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pep.provisioning.ToolSettings;
import io.pep.provisioning.ToolSlots;
import io.pep.store.DataFolderWatch;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Health checks and metrics (docs/operations.md). The meter registry is bound as
 * {@code metricsRegistry}, the name camel-micrometer-prometheus looks for, so Camel's own route
 * metrics (when {@code camel.metrics.enabled}) and pep's land in one scrape.
 */
public class ObserveConfiguration implements CamelConfiguration {

    @PropertyInject("pep.mongo.database")
    private String database;
    @PropertyInject("pep.mongo.collection")
    private String records;
    @PropertyInject("pep.export.runs-collection")
    private String exportRuns;
    @PropertyInject("pep.export.bulks-collection")
    private String exportBulks;
    @PropertyInject("pep.metrics.store-refresh")
    private long storeRefreshMs;
    @PropertyInject("pep.health.store-timeout")
    private long storeTimeoutMs;
    @PropertyInject("pep.fcu.config-dir")
    private String configDir;
    @PropertyInject("pep.export.csv.enabled")
    private boolean csvEnabled;
    @PropertyInject("pep.export.csv.dir")
    private String dropFolder;
    @PropertyInject("pep.export.upload.enabled")
    private boolean uploadEnabled;
    @PropertyInject("pep.portal.url")
    private String portalUrl;
    @PropertyInject("pep.health.portal-timeout")
    private int portalTimeoutMs;

    private PrometheusMeterRegistry registry;
    private ProvisioningMetrics metrics;
    private ExportMeters exportMeters;

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
                    () -> context.getRegistry().lookupByNameAndType("toolSlots", ToolSlots.class),
                    () -> context.getRegistry().lookupByNameAndType("fccWarnings", io.pep.provisioning.FccWarnings.class),
                    () -> context.getRegistry().lookupByNameAndType("factoryToolExecutor",
                            io.pep.provisioning.FactoryToolExecutor.class));
        }
        return metrics;
    }

    @BindToRegistry("exportMeters")
    public synchronized ExportMeters exportMeters(CamelContext context) {
        if (exportMeters == null) {
            exportMeters = new ExportMeters(metricsRegistry(context));
        }
        return exportMeters;
    }

    // Health checks are beans: Camel's health registry takes every HealthCheck bound in the registry.
    @BindToRegistry("storeHealthCheck")
    public StoreHealthCheck storeHealthCheck(CamelContext context) {
        return new StoreHealthCheck(() -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                dataFolder(context), database, storeTimeoutMs);
    }

    @BindToRegistry("factoryToolHealthCheck")
    public FactoryToolHealthCheck factoryToolHealthCheck(CamelContext context) {
        return new FactoryToolHealthCheck(
                () -> context.getRegistry().lookupByNameAndType("toolSettings", ToolSettings.class), configDir);
    }

    @BindToRegistry("exportTargetsHealthCheck")
    public ExportTargetsHealthCheck exportTargetsHealthCheck() {
        return new ExportTargetsHealthCheck(csvEnabled, dropFolder, uploadEnabled, portalUrl, portalTimeoutMs);
    }

    @Override
    public void configure(CamelContext context) {
        new StoreStatistics(() -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                database, records, exportRuns, exportBulks, storeRefreshMs).bindTo(metricsRegistry(context));
        provisioningMetrics(context);
        exportMeters(context);
        bindJvmAndProcess(context);
        // which scheduled exports are on: an alert on stale uploads stays quiet while uploads are off
        for (String[] kind : new String[][] {{"csv", String.valueOf(csvEnabled)}, {"upload", String.valueOf(uploadEnabled)}}) {
            Gauge.builder("pep.export.enabled", () -> Boolean.parseBoolean(kind[1]) ? 1 : 0)
                    .description("1 when scheduled exports of this kind are on (pep.export.csv.enabled, pep.export.upload.enabled)")
                    .tags("kind", kind[0]).strongReference(true).register(metricsRegistry(context));
        }
        // 0 while a full disk (or the folder's permissions) stops pep's writes: every write answers 503 then
        Supplier<DataFolderWatch> watch = dataFolder(context);
        Gauge.builder("pep.data.folder.writable", watch, w -> w.get() == null || w.get().isWritable() ? 1 : 0)
                .description("1 while pep's data folder takes writes, 0 while not (503 until a probe write succeeds)")
                .strongReference(true).register(metricsRegistry(context));
    }

    /**
     * Micrometer's standard JVM and process meters (jvm_memory_*, jvm_gc_*, jvm_threads_*,
     * jvm_classes_*, process_cpu_usage, process_files_*, process_uptime_seconds): a leak or a
     * coming OutOfMemoryError shows on the Grafana board before it happens. The GC listener is
     * removed when the context stops.
     */
    private void bindJvmAndProcess(CamelContext context) {
        MeterRegistry meters = metricsRegistry(context);
        JvmGcMetrics gc = new JvmGcMetrics();
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new FileDescriptorMetrics(), new UptimeMetrics())) {
            binder.bindTo(meters);
        }
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    gc.close();
                }
            });
        } catch (Exception e) {
            gc.close();
            throw new IllegalStateException("could not register the GC meters' clean-up", e);
        }
    }

    /** Looked up on use: bound by another configuration class. */
    private static Supplier<DataFolderWatch> dataFolder(CamelContext context) {
        return () -> context.getRegistry().lookupByNameAndType("dataFolderWatch", DataFolderWatch.class);
    }
}
