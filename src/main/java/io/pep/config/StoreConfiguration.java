package io.pep.config;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.pep.store.DataFolderWatch;
import io.pep.store.EmbeddedMongo;
import io.pep.store.StoreIndexes;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@code pepMongo}, the MongoDB client every mongodb endpoint uses: {@code MONGO_URI}
 * when set, otherwise the embedded store. Short timeouts so that a down database answers
 * 503 within seconds instead of hanging a gateway's request; a URI's own options win.
 */
public class StoreConfiguration implements CamelConfiguration {

    @PropertyInject("mongo.uri")
    private String mongoUri;

    @PropertyInject("pep.data.dir")
    private String dataDir;

    @PropertyInject("pep.mongo.embedded-port")
    private int embeddedPort;

    @PropertyInject("pep.mongo.timeout-ms")
    private int timeoutMs;

    @PropertyInject("pep.mongo.embedded-cache-mb")
    private int embeddedCacheMb;

    @PropertyInject("pep.mongo.embedded-fsync")
    private boolean embeddedFsync;

    @PropertyInject("pep.mongo.write-concern")
    private String writeConcern;

    @PropertyInject("pep.mongo.database")
    private String database;

    @PropertyInject("pep.mongo.collection")
    private String collection;
    @PropertyInject("pep.identities.history-collection")
    private String historyCollection;

    @PropertyInject("pep.attempts.collection")
    private String attemptsCollection;

    @PropertyInject("pep.data.start-empty")
    private boolean startEmpty;

    private static final Logger LOG = LoggerFactory.getLogger(StoreConfiguration.class);
    /** ms between probe writes while the data folder does not take writes: pep serves again within about this of space returning. */
    private static final long PROBE_MS = 1000;

    private MongoClient client;
    private StoreIndexes indexes;
    private DataFolderWatch dataFolderWatch;

    /** Whether the data folder takes writes (the embedded store, the journal): 503 and not ready while not. */
    @BindToRegistry("dataFolderWatch")
    public synchronized DataFolderWatch dataFolderWatch(CamelContext camelContext) throws Exception {
        if (dataFolderWatch == null) {
            DataFolderWatch watch = new DataFolderWatch(PROBE_MS);
            camelContext.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    watch.close();
                }
            }, true, true);
            dataFolderWatch = watch;
        }
        return dataFolderWatch;
    }

    @BindToRegistry("pepMongo")
    public synchronized MongoClient pepMongo(CamelContext camelContext) throws Exception {
        // Camel's post-processor may call a binding method more than once: one client, one store
        if (client != null) {
            return client;
        }
        String uri = mongoUri;
        if (uri == null || uri.isBlank()) {
            EmbeddedMongo embedded = EmbeddedMongo.start(Path.of(dataDir), new EmbeddedMongo.Options(embeddedPort,
                    embeddedCacheMb, embeddedFsync,
                    // the attempt log is written after the answer, from a queue that may drop: a crash
                    // may lose its last second; an identity is never in it alone (docs/guarantees.md)
                    Set.of(attemptsCollection), database, collection, historyCollection, startEmpty, dataFolderWatch(camelContext)));
            camelContext.getRegistry().bind("embeddedMongo", embedded);
            // stopped with the context, after the routes that use it
            camelContext.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    embedded.close();
                }
            }, true, true);
            uri = embedded.connectionString();
        } else {
            logExternalStore(new ConnectionString(uri));
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                // acknowledged by a majority of a replica set (a standalone: by itself); the URI's
                // w/journal/retryWrites options win (docs/scaling.md)
                .writeConcern(writeConcernOf(writeConcern))
                .retryWrites(true)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(timeoutMs, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                        .readTimeout(Math.max(10_000, timeoutMs * 3), TimeUnit.MILLISECONDS))
                .applyConnectionString(new ConnectionString(uri))
                // pep_store_operation_seconds (io.pep.observe); the meter registry is bound later
                .addCommandListener(new io.pep.observe.StoreLatency(() -> camelContext.getRegistry()
                        .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class)))
                .build();
        client = MongoClients.create(settings);
        return client;
    }

    /**
     * Which MongoDB pep uses, in one line an operator can check against the site's settings: Camel's
     * settings summary masks MONGO_URI whole, since it may hold a password; this line never shows one.
     */
    private void logExternalStore(ConnectionString uri) {
        LOG.info("Store: MongoDB at {} (MONGO_URI{}{}), database '{}'", String.join(",", uri.getHosts()),
                uri.getUsername() == null ? "" : ", user '" + uri.getUsername() + "'",
                uri.getPassword() == null ? "" : ", password not shown", database);
    }

    /** {@code majority} or a number of members, as MongoDB's {@code w} option. */
    static WriteConcern writeConcernOf(String w) {
        String value = w == null ? "" : w.trim();
        if (value.isEmpty() || value.equalsIgnoreCase("majority")) {
            return WriteConcern.MAJORITY;
        }
        try {
            return new WriteConcern(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return new WriteConcern(value); // a tag set name
        }
    }

    @BindToRegistry("storeIndexes")
    public synchronized StoreIndexes storeIndexes(CamelContext camelContext) {
        if (indexes == null) {
            // looked up on first use: beans of one configuration class are bound in no set order
            indexes = new StoreIndexes(() -> camelContext.getRegistry().lookupByNameAndType("pepMongo",
                    MongoClient.class), database, collection, historyCollection);
        }
        return indexes;
    }

    /**
     * Creates the indexes before any route starts: the embedded store fails inserts that race an
     * index being created. If MongoDB is unreachable now, the first reservation creates them.
     */
    @Override
    public void configure(CamelContext camelContext) {
        StoreIndexes storeIndexes = camelContext.getRegistry().lookupByNameAndType("storeIndexes", StoreIndexes.class);
        try {
            storeIndexes.ensure();
        } catch (RuntimeException e) {
            LOG.warn("MongoDB is not reachable yet ({}); the index will be created on first use", e.getMessage());
        }
    }
}
