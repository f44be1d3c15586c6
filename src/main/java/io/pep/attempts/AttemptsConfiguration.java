package io.pep.attempts;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.IndexOptions;
import io.pep.observe.ProvisioningMetrics;
import io.pep.provisioning.ReasonClasses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The attempt log (routes/attempts.camel.yaml): its beans and its collection's indexes. */
public class AttemptsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptsConfiguration.class);

    @PropertyInject("pep.attempts.retention")
    private String retention;

    @PropertyInject("pep.instance")
    private String instance;

    @PropertyInject("pep.mongo.database")
    private String database;

    @PropertyInject("pep.attempts.collection")
    private String collection;

    @BindToRegistry("attemptRecorder")
    public AttemptRecorder attemptRecorder(CamelContext context) throws Exception {
        // looked up on use: beans of other configuration classes are bound in no set order
        java.util.function.Supplier<ProvisioningMetrics> metrics = () -> context.getRegistry()
                .lookupByNameAndType("provisioningMetrics", ProvisioningMetrics.class);
        // every outcome and every retirement reason class counted from the start (before the HTTP server takes requests)
        context.addStartupListener((started, alreadyStarted) -> {
            if (metrics.get() != null) {
                metrics.get().expectOutcomes(AttemptOutcome.ALL);
                ReasonClasses reasonClasses = started.getRegistry().lookupByNameAndType("reasonClasses", ReasonClasses.class);
                if (reasonClasses != null) {
                    metrics.get().expectReasonClasses(reasonClasses.all());
                }
            }
        });
        return new AttemptRecorder(metrics, instanceName());
    }

    @BindToRegistry("attemptPages")
    public AttemptPages attemptPages() {
        return new AttemptPages(retentionMs(retention));
    }

    /** {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s} or milliseconds. */
    static long retentionMs(String text) {
        return durationMs("pep.attempts.retention", text);
    }

    /** A duration setting ({@code setting}, for the refusal): {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s} or milliseconds. */
    public static long durationMs(String setting, String text) {
        String value = text.trim();
        char unit = value.charAt(value.length() - 1);
        if (Character.isDigit(unit)) {
            return Long.parseLong(value);
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1).trim());
        return switch (Character.toLowerCase(unit)) {
            case 'd' -> Duration.ofDays(amount).toMillis();
            case 'h' -> Duration.ofHours(amount).toMillis();
            case 'm' -> Duration.ofMinutes(amount).toMillis();
            case 's' -> Duration.ofSeconds(amount).toMillis();
            default -> throw new IllegalArgumentException(setting + " must be like 90d, 12h, 30m, 45s or"
                    + " milliseconds, not '" + text + "'");
        };
    }

    private String instanceName() {
        if (instance != null && !instance.isBlank()) {
            return instance;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "pep";
        }
    }

    /**
     * A TTL index on {@code time} (MongoDB removes old attempts itself; the embedded store ignores
     * it, so the purge route does it there) and one on {@code serialNumber} for lookups.
     */
    @Override
    public void configure(CamelContext context) {
        long retentionMs = retentionMs(retention);
        try {
            MongoClient client = context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class);
            var attempts = client.getDatabase(database).getCollection(collection);
            attempts.createIndex(new Document("time", 1),
                    new IndexOptions().expireAfter(TimeUnit.MILLISECONDS.toSeconds(retentionMs), TimeUnit.SECONDS));
            attempts.createIndex(new Document("serialNumber", 1));
        } catch (RuntimeException e) {
            LOG.warn("Attempt log indexes not created ({}); the purge route still removes old attempts", e.getMessage());
        }
    }
}
