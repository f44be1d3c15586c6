package io.pep.api;

import io.pep.provisioning.SerialsInFlight;
import io.vertx.core.net.KeyCertOptions;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.apache.camel.support.jsse.SSLContextParameters;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pep's HTTP server: Camel's Vert.x platform-http server (the REST DSL routes plug into its router
 * as usual) with what camel-main's built-in server cannot be told: timeouts for connections that
 * send no request ({@link RequestHeadTimeout}, Vert.x idle timeout), requests for host names that
 * are not pep's refused ({@link HostCheck}), a one-line answer for
 * everything the HTTP layer refuses and 503 instead of 404 until the routes are up
 * ({@link HttpEdge}), and provisioning on its own thread pool ({@link ProvisioningLane}).
 *
 * <p>What it takes over from Camel's {@code VertxPlatformHttpServer} (camel-platform-http-vertx), and why:
 * <ul>
 * <li>{@code startServer()}: Camel's builds its own {@code HttpServer} from {@code HttpServerOptions} it
 * does not let pep set (idle timeout, HTTP/1.1 only), with no hook for a
 * connection handler ({@link RequestHeadTimeout}) or an invalid-request handler ({@link HttpEdge}); pep's
 * puts its own router in front of Camel's ({@code VertxPlatformHttpRouter.lookup}, bound by Camel's
 * {@code initializeServer()}, which is kept) and answers a port it cannot open with {@link ListenFailed}.</li>
 * <li>{@code stopServer()}: closes pep's server and its provisioning threads, which Camel's knows
 * nothing of, after removing the platform-http component.</li>
 * <li>{@code stopVertx()}: closes Vert.x only when this server created it ({@code lookupVertx()} finds
 * none in the registry), as Camel's does with a private flag pep cannot read.</li>
 * <li>{@code getServer()}, {@code getPort()}: Camel's return its own (never started) server; its
 * platform-http engine reads the port from these, so they return pep's.</li>
 * </ul>
 * Vert.x internals: {@code VertxInternal} (the cast of {@code getVertx()}), for the provisioning lane's
 * worker pool and event-loop contexts ({@code wrapWorkerPool}, {@code createEventLoopContext}), which
 * Vert.x 4's public API does not offer. {@code HttpEdgeTest}, {@code ProvisioningLaneTest},
 * {@code StartupGateTest}, {@code PortInUseTest}, {@code HostCheckTest} and {@code HttpsTest} pin
 * this contract: a Camel or Vert.x upgrade that changes these methods fails them.
 */
public class PepHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(PepHttpServer.class);
    /** No API operation takes a request body; more than this is refused with 413. */
    private static final long MAX_BODY_BYTES = 1024 * 1024;

    /** What pep sets on top of Camel's server configuration; times in ms. */
    public record Settings(String host, int port, long requestHeadTimeoutMs, long idleTimeoutMs,
            Set<String> provisioningPaths, int provisioningThreads, int busyRetryAfterSeconds, String allowedHosts) {
    }

    private final Settings settings;
    private ExecutorService provisioningThreads;
    private HttpServer server;

    public PepHttpServer(Settings settings) {
        super(configuration(settings));
        this.settings = settings;
    }

    private static VertxPlatformHttpServerConfiguration configuration(Settings settings) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(settings.host());
        configuration.setBindPort(settings.port());
        configuration.setPath("/");
        return configuration;
    }

    @Override
    protected void startServer() throws Exception {
        VertxInternal vertx = (VertxInternal) getVertx();
        // the router Camel's consumers add their routes to, bound by initializeServer()
        VertxPlatformHttpRouter camelRouter = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        HttpEdge edge = new HttpEdge(() -> getCamelContext().getStatus().isStarted());
        HostCheck hosts = HostCheck.of(settings.allowedHosts(),
                getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class));
        RequestHeadTimeout headTimeout = new RequestHeadTimeout(vertx, settings.requestHeadTimeoutMs());
        provisioningThreads = getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "pep-provisioning", settings.provisioningThreads());
        SerialsInFlight serialsInFlight = getCamelContext().getRegistry()
                .lookupByNameAndType("serialsInFlight", SerialsInFlight.class);
        ProvisioningLane provisioning = new ProvisioningLane(settings.provisioningPaths(),
                settings.provisioningThreads(), settings.busyRetryAfterSeconds(), vertx, provisioningThreads,
                serialsInFlight != null ? serialsInFlight : new SerialsInFlight());

        Router root = Router.router(vertx);
        root.route().handler(headTimeout::requestArrived);
        root.route().handler(hosts::handle);
        root.route().handler(edge::pathCheck);
        root.route().handler(edge::startGate);
        root.route().handler(edge::queryCheck);
        // the body is read here, before the hand-over to the provisioning lane: Camel's body handler
        // then sees it read and goes on at once, on the lane's context (reading it would continue on
        // the connection's context, hence on the shared worker pool)
        root.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        // tokens before the lane: its 409 for a serial in progress must not answer a caller without one
        @SuppressWarnings("unchecked")
        Handler<RoutingContext> accessGuard = getCamelContext().getRegistry().lookupByNameAndType("accessGuard", Handler.class);
        if (accessGuard != null) {
            root.route().handler(accessGuard);
        }
        root.route().handler(provisioning::dispatch);
        root.route("/*").subRouter(camelRouter);
        for (int status : HttpEdge.ROUTER_ERRORS) {
            root.errorHandler(status, HttpEdge::routerError);
            camelRouter.errorHandler(status, HttpEdge::routerError);
        }

        // HTTP/1.1 only, as the original server: with cleartext HTTP/2 on, Vert.x holds a new connection
        // back until its first bytes tell the protocol, so a client that sends half a line would
        // never reach the request-head timeout
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) settings.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        enableTls(options);
        server = vertx.createHttpServer(options)
                .connectionHandler(headTimeout::opened)
                .invalidRequestHandler(HttpEdge::invalidRequest)
                .requestHandler(root);
        try {
            server.listen(settings.port(), settings.host()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            server = null;
            throw new ListenFailed(settings.host(), settings.port(), failed.getCause());
        }
        LOG.info("HTTP server listening on {}:{} (request head timeout {} ms, idle timeout {} ms, {} provisioning threads)",
                settings.host(), server.actualPort(), settings.requestHeadTimeoutMs(), settings.idleTimeoutMs(),
                settings.provisioningThreads());
    }

    /**
     * HTTPS when pep.tls.* set Camel's global SSL context parameters (io.pep.auth.TlsConfiguration):
     * the same key managers camel-main's own server would use, and only the TLS versions and cipher
     * suites they list (the JDK's defaults would also offer CBC suites).
     */
    private void enableTls(HttpServerOptions options) throws Exception {
        SSLContextParameters ssl = getCamelContext().getSSLContextParameters();
        if (ssl == null || ssl.getKeyManagers() == null) {
            return;
        }
        for (KeyManager manager : ssl.getKeyManagers().createKeyManagers()) {
            if (manager instanceof X509KeyManager x509) {
                options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(x509));
                if (ssl.getSecureSocketProtocols() != null) {
                    options.setEnabledSecureTransportProtocols(
                            new LinkedHashSet<>(ssl.getSecureSocketProtocols().getSecureSocketProtocol()));
                }
                if (ssl.getCipherSuites() != null) {
                    ssl.getCipherSuites().getCipherSuite().forEach(options::addEnabledCipherSuite);
                }
                return;
            }
        }
        throw new IllegalStateException("pep.tls.*: the key store holds no X.509 key for the HTTPS server");
    }

    @Override
    protected void stopServer() {
        try {
            getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("Closing the HTTP server: {}", e.getMessage());
        } finally {
            server = null;
            if (provisioningThreads != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(provisioningThreads);
                provisioningThreads = null;
            }
        }
    }

    /** Closes the Vert.x instance when this server created it (none in the registry). */
    @Override
    protected void stopVertx() {
        if (getVertx() != null && lookupVertx() == null) {
            try {
                getVertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Closing Vert.x: {}", e.getMessage());
            }
        }
    }

    /** The listening server: Camel's platform-http engine reads the port from it. */
    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public int getPort() {
        return server != null ? server.actualPort() : settings.port();
    }
}
