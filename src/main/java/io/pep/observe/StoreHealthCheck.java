package io.pep.observe;

import com.mongodb.client.MongoClient;
import io.pep.store.DataFolderWatch;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.bson.Document;

/**
 * Readiness: the store answers a {@code ping} within {@code pep.health.store-timeout}, and pep's
 * data folder takes writes (a full disk: {@link DataFolderWatch}). Without either every
 * provisioning would answer 503, so a load balancer should send gateways elsewhere.
 */
public class StoreHealthCheck extends AbstractHealthCheck {

    private final Supplier<MongoClient> client;
    private final Supplier<DataFolderWatch> dataFolder;
    private final String database;
    private final long timeoutMs;

    public StoreHealthCheck(Supplier<MongoClient> client, Supplier<DataFolderWatch> dataFolder, String database,
                            long timeoutMs) {
        super("pep", "store");
        this.client = client;
        this.dataFolder = dataFolder;
        this.database = database;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false; // a down database is not cured by restarting pep
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        DataFolderWatch watch = dataFolder.get();
        String problem = watch == null ? null : watch.problem();
        if (problem != null) {
            builder.down().message(problem);
            return;
        }
        long start = System.nanoTime();
        try {
            client.get().getDatabase(database).withTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .runCommand(new Document("ping", 1));
            builder.up().detail("ping_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (RuntimeException e) {
            builder.down().message("The store did not answer a ping within " + timeoutMs + " ms: "
                    + e.getClass().getSimpleName() + " (check MONGO_URI and that MongoDB is running)");
        }
    }
}
