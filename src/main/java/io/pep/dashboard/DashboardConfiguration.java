package io.pep.dashboard;

import com.mongodb.client.MongoClient;
import io.pep.provisioning.ToolSlots;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** The operator dashboard (routes/dashboard.camel.yaml, docs/operations.md): its page and its summary. */
public class DashboardConfiguration implements CamelConfiguration {

    @BindToRegistry("dashboardAssets")
    public DashboardAssets dashboardAssets() {
        return new DashboardAssets();
    }

    @PropertyInject("pep.mongo.database")
    private String database;
    @PropertyInject("pep.mongo.collection")
    private String records;
    @PropertyInject("pep.attempts.collection")
    private String attempts;
    @PropertyInject("pep.export.csv.enabled")
    private boolean csvEnabled;
    @PropertyInject("pep.export.csv.cron")
    private String csvCron;
    @PropertyInject("pep.export.upload.enabled")
    private boolean uploadEnabled;
    @PropertyInject("pep.export.upload.cron")
    private String uploadCron;

    @BindToRegistry("dashboardSummary")
    public DashboardSummary dashboardSummary(CamelContext context) {
        return new DashboardSummary(() -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                database, records, attempts,
                () -> context.getRegistry().lookupByNameAndType("toolSlots", ToolSlots.class),
                new ExportSchedule(csvEnabled, csvCron, uploadEnabled, uploadCron),
                () -> context.getRegistry().lookupByNameAndType("uploadLedger", io.pep.export.UploadLedger.class));
    }
}
