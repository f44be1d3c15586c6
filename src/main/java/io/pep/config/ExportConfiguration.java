package io.pep.config;

import com.mongodb.client.MongoClient;
import io.pep.export.ExportRequests;
import io.pep.export.ExportRuns;
import io.pep.export.PortalUploads;
import java.nio.file.Path;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** Beans of the export routes (export-csv, export-upload, export-api), from the {@code # Exports} settings. */
public class ExportConfiguration implements CamelConfiguration {

    @BindToRegistry("exportRuns")
    public ExportRuns exportRuns(CamelContext camelContext,
            @PropertyInject("pep.mongo.database") String database,
            @PropertyInject("pep.mongo.collection") String records,
            @PropertyInject(value = "pep.export.runs-collection", defaultValue = "export_runs") String runs,
            @PropertyInject(value = "pep.export.locks-collection", defaultValue = "export_locks") String locks,
            @PropertyInject(value = "pep.export.lease", defaultValue = "1800000") long leaseMs,
            @PropertyInject("pep.export.csv.dir") String csvDir) {
        // looked up on first use: beans are bound in no set order
        return new ExportRuns(() -> camelContext.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                database, records, runs, locks, leaseMs, Path.of(csvDir));
    }

    @BindToRegistry("portalUploads")
    public PortalUploads portalUploads(
            @PropertyInject(value = "pep.portal.url", defaultValue = "") String url,
            @PropertyInject(value = "pep.portal.api-key", defaultValue = "") String apiKey,
            @PropertyInject(value = "pep.portal.max-file-bytes", defaultValue = "10000000") long maxFileBytes) {
        return new PortalUploads(url, apiKey, maxFileBytes);
    }

    @BindToRegistry("exportRequests")
    public ExportRequests exportRequests() {
        return new ExportRequests();
    }
}
