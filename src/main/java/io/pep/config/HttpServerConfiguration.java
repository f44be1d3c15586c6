package io.pep.config;

import io.pep.api.PepHttpServer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Starts pep's HTTP server ({@link PepHttpServer}) in place of camel-main's built-in one
 * ({@code camel.server.enabled=false}), from the {@code pep.server.*} settings.
 */
public class HttpServerConfiguration implements CamelConfiguration {

    @PropertyInject("pep.server.host")
    private String host;
    @PropertyInject("pep.server.port")
    private int port;
    @PropertyInject("pep.server.request-head-timeout")
    private long requestHeadTimeoutMs;
    @PropertyInject("pep.server.idle-timeout")
    private long idleTimeoutMs;
    @PropertyInject("pep.server.provisioning-paths")
    private String provisioningPaths;
    @PropertyInject("pep.server.provisioning-threads")
    private int provisioningThreads;
    @PropertyInject("pep.server.allowed-hosts")
    private String allowedHosts;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        if (provisioningThreads < 1) {
            throw new IllegalArgumentException("pep.server.provisioning-threads must be at least 1");
        }
        Set<String> paths = new LinkedHashSet<>();
        Arrays.stream(provisioningPaths.split(",")).map(String::trim).filter(p -> !p.isEmpty()).forEach(paths::add);
        int retryAfterSeconds = (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(
                ToolConfiguration.lookup(camelContext).queueWaitMs()));
        camelContext.addService(new PepHttpServer(new PepHttpServer.Settings(host, port, requestHeadTimeoutMs,
                idleTimeoutMs, Set.copyOf(paths), provisioningThreads, retryAfterSeconds, allowedHosts)), true, true);
    }
}
