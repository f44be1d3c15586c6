package io.pep.config;

import io.pep.api.ApiRequest;
import io.pep.api.UnexpectedFailures;
import io.pep.lookup.EnrollmentPages;
import io.pep.lookup.IdentityLookup;
import io.pep.provisioning.FccWarnings;
import io.pep.provisioning.FactoryToolOutcome;
import io.pep.provisioning.HeartbeatLog;
import io.pep.provisioning.IdentityRequest;
import io.pep.identity.IdentityView;
import io.pep.provisioning.KnownSerials;
import io.pep.provisioning.Incarnation;
import io.pep.provisioning.InstanceLeases;
import io.pep.provisioning.JournalReplay;
import io.pep.provisioning.ProvisioningJournal;
import io.pep.provisioning.ReasonClasses;
import io.pep.provisioning.Reservations;
import io.pep.provisioning.Retirements;
import io.pep.provisioning.SerialsInFlight;
import io.pep.store.DataFolderWatch;
import io.vertx.core.VertxOptions;
import com.mongodb.client.MongoClient;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The beans the API and provisioning routes call, configured from {@code pep.*} properties. */
public class ProvisioningConfiguration implements CamelConfiguration {

    private final FccWarnings fccWarnings = new FccWarnings();
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningConfiguration.class);

    @PropertyInject("pep.defaults.api-address")
    private String defaultApiAddress;
    @PropertyInject("pep.defaults.gateway-services-address")
    private String defaultGatewayServicesAddress;
    @PropertyInject("pep.defaults.hardware-version")
    private String defaultHardwareVersion;
    @PropertyInject("pep.defaults.radio-config")
    private String defaultRadioConfig;
    @PropertyInject("pep.defaults.led-config")
    private String defaultLedConfig;
    @PropertyInject("pep.defaults.category")
    private String defaultCategory;
    @PropertyInject("pep.reservation.stale-after")
    private long reservationStaleAfterMs;
    @PropertyInject("pep.data.dir")
    private String dataDir;
    @PropertyInject("pep.instance.name")
    private String instanceName;
    @PropertyInject("pep.server.port")
    private int port;
    @PropertyInject("pep.mongo.timeout-ms")
    private long storeTimeoutMs;
    @PropertyInject("pep.mongo.write-retries")
    private int writeRetries;
    @PropertyInject("pep.mongo.write-retry-delay")
    private long writeRetryDelayMs;
    @PropertyInject("pep.mongo.database")
    private String database;
    @PropertyInject("pep.mongo.collection")
    private String collection;
    @PropertyInject("pep.identities.history-collection")
    private String historyCollection;
    @PropertyInject("pep.identities.reason-classes")
    private String reasonClasses;
    private ReasonClasses reasonClassList;
    @PropertyInject("pep.instance.collection")
    private String instances;
    @PropertyInject("pep.instance.lease")
    private long leaseMs;
    @PropertyInject("pep.instance.heartbeat-interval")
    private long heartbeatIntervalMs;
    @PropertyInject("pep.journal.dir")
    private String journalDir;
    @PropertyInject("pep.journal.keep-recorded")
    private long keepRecordedMs;
    @PropertyInject("pep.server.worker-threads")
    private int workerThreads;

    // crash recovery: one of each per pep process (Camel may call a binding method more than once)
    private Incarnation incarnation;
    private InstanceLeases instanceLeases;
    private HeartbeatLog heartbeatLog;
    private ProvisioningJournal journal;
    private JournalReplay journalReplay;
    private Retirements retirements;
    // shared by the provisioning route and the HTTP server's provisioning lane
    private final SerialsInFlight serialsInFlight = new SerialsInFlight();

    @BindToRegistry("apiRequest")
    public ApiRequest apiRequest() {
        return new ApiRequest();
    }

    @BindToRegistry("unexpectedFailures")
    public UnexpectedFailures unexpectedFailures() {
        return new UnexpectedFailures();
    }

    @BindToRegistry("identityRequests")
    public IdentityRequest.Validator identityRequests() {
        return new IdentityRequest.Validator(new IdentityRequest.Defaults(defaultApiAddress,
                defaultGatewayServicesAddress, defaultHardwareVersion, defaultRadioConfig, defaultLedConfig,
                defaultCategory));
    }

    @BindToRegistry("fccWarnings")
    public FccWarnings fccWarnings() {
        return fccWarnings;
    }

    @BindToRegistry("toolOutcome")
    public FactoryToolOutcome toolOutcome() {
        return new FactoryToolOutcome(fccWarnings);
    }

    @BindToRegistry("knownSerials")
    public KnownSerials knownSerials() {
        return new KnownSerials();
    }

    @BindToRegistry("serialsInFlight")
    public SerialsInFlight serialsInFlight() {
        return serialsInFlight;
    }

    @BindToRegistry("identityView")
    public IdentityView identityView() {
        return new IdentityView();
    }

    @BindToRegistry("reservations")
    public Reservations reservations() {
        return new Reservations(reservationStaleAfterMs);
    }

    /** This pep process: instance name, incarnation id, the data folder's lock (a second pep on it fails here). */
    @BindToRegistry("incarnation")
    public synchronized Incarnation incarnation() {
        if (incarnation == null) {
            incarnation = Incarnation.start(Path.of(dataDir), instanceName, port);
        }
        return incarnation;
    }

    @BindToRegistry("heartbeatLog")
    public synchronized HeartbeatLog heartbeatLog() {
        if (heartbeatLog == null) {
            heartbeatLog = new HeartbeatLog(heartbeatIntervalMs);
        }
        return heartbeatLog;
    }

    @BindToRegistry("instanceLeases")
    public synchronized InstanceLeases instanceLeases(CamelContext camelContext) {
        if (instanceLeases == null) {
            instanceLeases = new InstanceLeases(incarnation(), mongo(camelContext), database,
                    collection, instances, leaseMs);
        }
        return instanceLeases;
    }

    @BindToRegistry("provisioningJournal")
    public synchronized ProvisioningJournal provisioningJournal(CamelContext camelContext) {
        if (journal == null) {
            journal = new ProvisioningJournal(Path.of(journalDir), keepRecordedMs,
                    () -> camelContext.getRegistry().lookupByNameAndType("dataFolderWatch", DataFolderWatch.class));
        }
        return journal;
    }

    @BindToRegistry("journalReplay")
    public synchronized JournalReplay journalReplay(CamelContext camelContext) {
        if (journalReplay == null) {
            journalReplay = new JournalReplay(provisioningJournal(camelContext), instanceLeases(camelContext),
                    mongo(camelContext), database, collection, () -> retirements(camelContext));
        }
        return journalReplay;
    }

    /** Counted from the start by every class (io.pep.attempts.AttemptsConfiguration). */
    @BindToRegistry("reasonClasses")
    public synchronized ReasonClasses reasonClasses() {
        if (reasonClassList == null) {
            reasonClassList = new ReasonClasses(reasonClasses);
        }
        return reasonClassList;
    }

    @BindToRegistry("retirements")
    public synchronized Retirements retirements(CamelContext camelContext) {
        if (retirements == null) {
            retirements = new Retirements(serialsInFlight, mongo(camelContext), database, collection, historyCollection,
                    Retirements.settleAfterMs(storeTimeoutMs, writeRetries, writeRetryDelayMs), reasonClasses());
        }
        return retirements;
    }

    private static Supplier<MongoClient> mongo(CamelContext camelContext) {
        // looked up on first use: beans of different configuration classes are bound in no set order
        return () -> camelContext.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class);
    }

    /**
     * Before any route starts: record what the journal holds that the store may not, then free
     * the reservations an earlier run of this instance left (it died: this process holds the
     * data folder's lock now), so a serial stuck by a crash is provisionable as soon as pep
     * answers. With the store down, the heartbeat route does both once it is back.
     */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        JournalReplay replay = camelContext.getRegistry().lookupByNameAndType("journalReplay", JournalReplay.class);
        InstanceLeases leases = camelContext.getRegistry().lookupByNameAndType("instanceLeases", InstanceLeases.class);
        ProvisioningJournal provisioningJournal = camelContext.getRegistry()
                .lookupByNameAndType("provisioningJournal", ProvisioningJournal.class);
        try {
            retirements(camelContext).settlePending();
            replay.replay();
            leases.register();
        } catch (RuntimeException e) {
            LOG.warn("MongoDB is not reachable yet ({}); the journal replay and the instance lease start when it is",
                    e.getMessage());
        }
        // stopped with the context after the routes: a clean stop lets other instances take over at once
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                try {
                    leases.expire();
                } catch (RuntimeException e) {
                    LOG.warn("Could not end this instance's lease ({}); it lapses by itself", e.getMessage());
                }
                provisioningJournal.close();
                leases.incarnation().close();
            }
        }, true, true);
    }

    @BindToRegistry("enrollmentPages")
    public EnrollmentPages enrollmentPages() {
        return new EnrollmentPages();
    }

    @BindToRegistry("identityLookup")
    public IdentityLookup identityLookup() {
        return new IdentityLookup();
    }

    /** Vert.x runs each HTTP request's route on a worker thread; this many may block at once. */
    @BindToRegistry("vertxOptions")
    public VertxOptions vertxOptions() {
        return new VertxOptions().setWorkerPoolSize(workerThreads);
    }
}
