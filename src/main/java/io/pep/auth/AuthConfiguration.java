package io.pep.auth;

import java.util.List;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link AccessGuard} in front of every platform-http route: platform-http takes its engine
 * from the registry under this name, and the engine runs its handlers before each route's consumer.
 */
public class AuthConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AuthConfiguration.class);

    @PropertyInject("pep.auth.device-tokens")
    private String deviceTokens;
    @PropertyInject("pep.auth.device-tokens-file")
    private String deviceTokensFile;
    @PropertyInject("pep.auth.admin-tokens")
    private String adminTokens;
    @PropertyInject("pep.auth.admin-tokens-file")
    private String adminTokensFile;
    @PropertyInject("pep.auth.protect-metrics")
    private boolean protectMetrics;

    private AccessTokens tokens;

    /** The tokens, read once (routes ask {@code adminCallsProtected} to say who made a change). */
    @BindToRegistry("accessTokens")
    public synchronized AccessTokens accessTokens() {
        if (tokens == null) {
            tokens = AccessTokens.of(deviceTokens, deviceTokensFile, adminTokens, adminTokensFile);
        }
        return tokens;
    }

    @BindToRegistry("platform-http-engine")
    public VertxPlatformHttpEngine platformHttpEngine() {
        AccessTokens tokens = accessTokens();
        LOG.info(tokens.enabled() ? "Access tokens on: {}; gateway calls {}" : "Access tokens off (pep.auth.*): every"
                + " caller on the network may use every call", tokens,
                tokens.deviceCallsProtected() ? "need a token" : "open");
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine();
        engine.setHandlers(List.of(new AccessGuard(tokens, protectMetrics, io.pep.api.OpenApiRoutes.securityByPath())));
        return engine;
    }
}
