package io.pep.observe;

import com.mongodb.client.MongoClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.bson.Document;

/**
 * Readiness: the store answers a {@code ping} within {@code pep.health.store-timeout}. Without it
 * every provisioning would answer 503, so a load balancer should send gateways elsewhere.
 */
public class StoreHealthCheck extends AbstractHealthCheck {

    private final Supplier<MongoClient> client;
    private final String database;
    private final long timeoutMs;

    public StoreHealthCheck(Supplier<MongoClient> client, String database, long timeoutMs) {
        super("pep", "store");
        this.client = client;
        this.database = database;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false; // a down database is not cured by restarting pep
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
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
