package io.pep.config;

import com.mongodb.client.MongoClient;
import io.pep.export.DropFolder;
import io.pep.export.ExportLauncher;
import io.pep.export.ExportRequests;
import io.pep.export.PortalAnswers;
import io.pep.export.PortalBulks;
import io.pep.export.PortalDeletes;
import io.pep.export.UploadLedger;
import io.pep.attempts.AttemptsConfiguration;
import io.pep.observe.ExportMeters;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import io.pep.export.ExportRuns;
import io.pep.export.PortalUploads;
import java.nio.file.Path;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Beans of the export routes (export-csv, export-upload, export-api), from the {@code # Exports} settings. */
public class ExportConfiguration implements CamelConfiguration {

    @PropertyInject("pep.mongo.database")
    private String database;
    @PropertyInject("pep.mongo.collection")
    private String records;
    @PropertyInject("pep.data.dir")
    private String dataDir;
    @PropertyInject("pep.identities.history-collection")
    private String historyCollection;
    @PropertyInject("pep.export.runs-collection")
    private String runs;
    @PropertyInject("pep.export.locks-collection")
    private String locks;
    @PropertyInject("pep.export.bulks-collection")
    private String bulks;
    @PropertyInject("pep.export.duplicates-collection")
    private String duplicates;
    @PropertyInject("pep.portal.bulk.recheck-delay")
    private long recheckDelayMs;
    @PropertyInject("pep.portal.bulk.give-up-after")
    private String giveUpAfter;
    @PropertyInject("pep.export.lease")
    private long leaseMs;
    @PropertyInject("pep.export.csv.dir")
    private String csvDir;
    @PropertyInject("pep.export.claim-batch")
    private int claimBatch;
    @PropertyInject("pep.export.max-wait")
    private int maxWaitSeconds;
    @PropertyInject("pep.export.stop-grace")
    private long stopGraceMs;
    @PropertyInject("pep.export.csv.enabled")
    private boolean csvScheduled;
    @PropertyInject("pep.export.csv.cron")
    private String csvCron;
    @PropertyInject("pep.export.upload.enabled")
    private boolean uploadScheduled;
    @PropertyInject("pep.export.upload.cron")
    private String uploadCron;
    @PropertyInject("pep.portal.url")
    private String portalUrl;
    @PropertyInject("pep.portal.api-key")
    private String portalApiKey;
    @PropertyInject("pep.portal.max-file-bytes")
    private long maxFileBytes;
    @PropertyInject("pep.portal.retry.codes")
    private String retryCodes;
    @PropertyInject("pep.portal.retry.max-attempts-per-id")
    private int maxAttemptsPerId;
    @PropertyInject("pep.portal.retry.max-delay")
    private long maxRetryDelayMs;
    @PropertyInject("pep.portal.delete.retry-delay")
    private long deleteRetryDelayMs;

    private static final Logger LOG = LoggerFactory.getLogger(ExportConfiguration.class);

    /**
     * The indexes the exports walk by are made sure of before any route starts: on a store holding a
     * backlog they are built once, here, not inside the first export run. If the store is
     * unreachable now, the first export creates them.
     */
    @Override
    public void configure(CamelContext camelContext) {
        try {
            camelContext.getRegistry().lookupByNameAndType("exportRuns", ExportRuns.class).ensureIndexes();
        } catch (RuntimeException e) {
            LOG.warn("The export indexes are not in place yet ({}); the first export run creates them", e.getMessage());
        }
    }

    // Beans other beans of this class use are made once and handed over by calling their method:
    // Camel binds the methods of a configuration class in no set order, so a @BeanInject parameter
    // may name a bean not bound yet.
    private ExportRuns exportRuns;
    private UploadLedger uploadLedger;
    private PortalDeletes portalDeletes;
    private PortalUploads portalUploads;
    private DropFolder dropFolder;

    @BindToRegistry("exportRuns")
    public synchronized ExportRuns exportRuns(CamelContext camelContext) throws Exception {
        if (exportRuns == null) {
            // the store looked up on first use: it is bound by another configuration class
            exportRuns = new ExportRuns(() -> camelContext.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                    database, records, runs, locks, leaseMs, Path.of(csvDir), claimBatch);
            // started and stopped with Camel: it renews the leases of running runs
            camelContext.addService(exportRuns, true, true);
        }
        return exportRuns;
    }

    /** Runs the exports asked for over HTTP on its own threads; ends them when pep stops. */
    @BindToRegistry("exportLauncher")
    public ExportLauncher exportLauncher(CamelContext camelContext) throws Exception {
        if (maxWaitSeconds < 0 || maxWaitSeconds > 55) {
            // the HTTP thread waits that long: Vert.x reports a worker blocked for 60 s with a stack trace a second
            throw new IllegalArgumentException("pep.export.max-wait must be 0 to 55 seconds, not " + maxWaitSeconds);
        }
        String csvNext = csvScheduled
                ? "the next scheduled drop (pep.export.csv.cron " + csvCron + ") takes its records over"
                : "its records go to the next drop: POST /v3/exports/csv again once pep is back (no schedule:"
                        + " pep.export.csv.enabled is false)";
        String uploadNext = "ids already with the portal are checked by the next upload, not sent again, and it sends the"
                + " others: " + (uploadScheduled ? "the next scheduled upload (pep.export.upload.cron " + uploadCron + ")"
                        : "POST /v3/exports/upload again once pep is back (no schedule: pep.export.upload.enabled is false)");
        ExportLauncher launcher = new ExportLauncher(exportRuns(camelContext), maxWaitSeconds, stopGraceMs,
                Map.of(ExportRuns.CSV, csvNext, ExportRuns.UPLOAD, uploadNext));
        // told when pep begins to stop, before the HTTP routes do: a waiting request still gets its answer
        camelContext.getManagementStrategy().addEventNotifier(launcher);
        camelContext.addService(launcher, true, true);
        return launcher;
    }

    @BindToRegistry("dropFolder")
    public synchronized DropFolder dropFolder() {
        if (dropFolder == null) {
            dropFolder = new DropFolder(Path.of(csvDir), Path.of(dataDir));
        }
        return dropFolder;
    }

    @BindToRegistry("retirementDrops")
    public io.pep.export.RetirementDrops retirementDrops(CamelContext camelContext) {
        return new io.pep.export.RetirementDrops(() -> camelContext.getRegistry().lookupByNameAndType("pepMongo",
                MongoClient.class), database, historyCollection, dropFolder());
    }

    @BindToRegistry("uploadLedger")
    public synchronized UploadLedger uploadLedger(CamelContext camelContext) throws Exception {
        if (uploadLedger != null) {
            return uploadLedger;
        }
        Set<String> codes = new HashSet<>();
        for (String code : retryCodes.split(",")) {
            if (!code.isBlank()) {
                codes.add(code.trim());
            }
        }
        java.util.function.Function<String, MongoCollection<Document>> collection = name -> camelContext.getRegistry()
                .lookupByNameAndType("pepMongo", MongoClient.class).getDatabase(database).getCollection(name);
        uploadLedger = new UploadLedger(exportRuns(camelContext), () -> collection.apply(bulks), () -> collection.apply(duplicates),
                () -> camelContext.getRegistry().lookupByNameAndType("exportMeters", ExportMeters.class),
                new UploadLedger.Policy(codes, maxAttemptsPerId, recheckDelayMs,
                        AttemptsConfiguration.durationMs("pep.portal.bulk.give-up-after", giveUpAfter)));
        return uploadLedger;
    }

    /** Retired identities removed from the portal by upload runs (export-portal-deletes.camel.yaml). */
    @BindToRegistry("portalDeletes")
    public synchronized PortalDeletes portalDeletes(CamelContext camelContext) throws Exception {
        if (portalDeletes == null) {
            portalDeletes = new PortalDeletes(() -> camelContext.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                    database, historyCollection, bulks, runs, uploadLedger(camelContext),
                    () -> camelContext.getRegistry().lookupByNameAndType("exportMeters", ExportMeters.class),
                    new PortalDeletes.Policy(deleteRetryDelayMs, recheckDelayMs,
                            AttemptsConfiguration.durationMs("pep.portal.bulk.give-up-after", giveUpAfter)));
        }
        return portalDeletes;
    }

    /** What differs between bulk uploads and bulk deletes, for the routes that poll and settle both. */
    @BindToRegistry("portalBulks")
    public PortalBulks portalBulks(CamelContext camelContext) throws Exception {
        return new PortalBulks(portalUploads(), uploadLedger(camelContext), portalDeletes(camelContext));
    }

    @BindToRegistry("portalAnswers")
    public PortalAnswers portalAnswers() {
        return new PortalAnswers(maxRetryDelayMs);
    }

    @BindToRegistry("portalUploads")
    public synchronized PortalUploads portalUploads() {
        if (portalUploads == null) {
            portalUploads = new PortalUploads(portalUrl, portalApiKey, maxFileBytes);
        }
        return portalUploads;
    }

    @BindToRegistry("exportRequests")
    public ExportRequests exportRequests() {
        return new ExportRequests();
    }
}
