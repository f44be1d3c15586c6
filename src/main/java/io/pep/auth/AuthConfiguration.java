package io.pep.auth;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@link AccessGuard} as {@code accessGuard}: pep's HTTP server (io.pep.api.PepHttpServer) runs
 * it in front of every route, before anything answers on a request's behalf (the provisioning lane's
 * 409 for a serial in progress included), so a caller without a valid token learns nothing.
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

    @BindToRegistry("accessGuard")
    public AccessGuard accessGuard() {
        AccessTokens tokens = accessTokens();
        LOG.info(tokens.enabled() ? "Access tokens on: {}; gateway calls {}" : "Access tokens off (pep.auth.*): every"
                + " caller on the network may use every call", tokens,
                tokens.deviceCallsProtected() ? "need a token" : "open");
        return new AccessGuard(tokens, protectMetrics, io.pep.api.OpenApiRoutes.securityByPath());
    }
}
