package io.pep.dashboard;

import com.mongodb.client.MongoClient;
import io.pep.auth.AccessTokens;
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

    @BindToRegistry("dashboardSummary")
    public DashboardSummary dashboardSummary(CamelContext context,
            @PropertyInject("pep.mongo.database") String database,
            @PropertyInject("pep.mongo.collection") String records,
            @PropertyInject("pep.attempts.collection") String attempts,
            @PropertyInject(value = "pep.auth.device-tokens", defaultValue = "") String deviceTokens,
            @PropertyInject(value = "pep.auth.device-tokens-file", defaultValue = "") String deviceTokensFile,
            @PropertyInject(value = "pep.auth.admin-tokens", defaultValue = "") String adminTokens,
            @PropertyInject(value = "pep.auth.admin-tokens-file", defaultValue = "") String adminTokensFile,
            @PropertyInject("pep.export.csv.enabled") boolean csvEnabled,
            @PropertyInject("pep.export.csv.cron") String csvCron,
            @PropertyInject("pep.export.upload.enabled") boolean uploadEnabled,
            @PropertyInject("pep.export.upload.cron") String uploadCron) {
        // the summary reads the attempt log like GET /v3/attempts, so it needs what that call needs:
        // an admin token once tokens are on (AccessGuard's list is pep's API paths; this one checks itself)
        AccessTokens tokens = AccessTokens.of(deviceTokens, deviceTokensFile, adminTokens, adminTokensFile);
        return new DashboardSummary(() -> context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class),
                database, records, attempts,
                () -> context.getRegistry().lookupByNameAndType("toolSlots", ToolSlots.class), tokens,
                new ExportSchedule(csvEnabled, csvCron, uploadEnabled, uploadCron));
    }
}
