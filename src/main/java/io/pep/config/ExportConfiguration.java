package io.pep.config;

import com.mongodb.client.MongoClient;
import io.pep.export.DropFolder;
import io.pep.export.ExportRequests;
import io.pep.export.PortalAnswers;
import io.pep.export.UploadLedger;
import java.util.HashSet;
import java.util.Set;
import org.apache.camel.BeanInject;
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
            @PropertyInject("pep.export.runs-collection") String runs,
            @PropertyInject("pep.export.locks-collection") String locks,
            @PropertyInject("pep.export.lease") long leaseMs,
            @PropertyInject("pep.export.csv.dir") String csvDir,
            @PropertyInject("pep.export.claim-batch") int claimBatch) throws Exception {
        // looked up on first use: beans are bound in no set order
        ExportRuns exportRuns = new ExportRuns(() -> camelContext.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                database, records, runs, locks, leaseMs, Path.of(csvDir), claimBatch);
        // started and stopped with Camel: it renews the leases of running runs
        camelContext.addService(exportRuns, true, true);
        return exportRuns;
    }

    @BindToRegistry("dropFolder")
    public DropFolder dropFolder(@PropertyInject("pep.export.csv.dir") String csvDir,
            @PropertyInject("pep.data.dir") String dataDir) {
        return new DropFolder(Path.of(csvDir), Path.of(dataDir));
    }

    @BindToRegistry("uploadLedger")
    public UploadLedger uploadLedger(CamelContext camelContext, @BeanInject("exportRuns") ExportRuns exportRuns,
            @PropertyInject("pep.mongo.database") String database,
            @PropertyInject("pep.export.bulks-collection") String bulks,
            @PropertyInject("pep.portal.retry.codes") String retryCodes,
            @PropertyInject("pep.portal.retry.max-attempts-per-id") int maxAttemptsPerId) {
        Set<String> codes = new HashSet<>();
        for (String code : retryCodes.split(",")) {
            if (!code.isBlank()) {
                codes.add(code.trim());
            }
        }
        return new UploadLedger(exportRuns, () -> camelContext.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class)
                .getDatabase(database).getCollection(bulks), codes, maxAttemptsPerId);
    }

    @BindToRegistry("portalAnswers")
    public PortalAnswers portalAnswers(@PropertyInject("pep.portal.retry.max-delay") long maxDelay) {
        return new PortalAnswers(maxDelay);
    }

    @BindToRegistry("portalUploads")
    public PortalUploads portalUploads(
            @PropertyInject("pep.portal.url") String url,
            @PropertyInject("pep.portal.api-key") String apiKey,
            @PropertyInject("pep.portal.max-file-bytes") long maxFileBytes) {
        return new PortalUploads(url, apiKey, maxFileBytes);
    }

    @BindToRegistry("exportRequests")
    public ExportRequests exportRequests() {
        return new ExportRequests();
    }
}
