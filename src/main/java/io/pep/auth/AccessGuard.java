package io.pep.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One check in front of every HTTP route (a Vert.x handler of platform-http's engine, so no route
 * can forget it): which calls need which token — as the API document's {@code security} declares
 * it per operation —, and the cross-site refusal of export runs.
 * <ul>
 * <li>gateway calls (identity, enrollment-id, verification-key): a device or admin token, once
 *     {@code pep.auth.device-tokens} is set;</li>
 * <li>admin calls (enrollment-ids, attempts, exports, the dashboard's summary and lookup, and metrics with
 *     {@code pep.auth.protect-metrics}):
 *     an admin token once any token is set; a device token gets 403;</li>
 * <li>docs and health: open (a load balancer's probe carries no token).</li>
 * </ul>
 * 401 carries {@code WWW-Authenticate: Bearer}. Tokens are compared by {@link AccessTokens}, never logged.
 */
public class AccessGuard implements Handler<RoutingContext> {

    enum Access { OPEN, DEVICE, ADMIN }

    /** The security schemes of the API document (docs/openapi.yaml, components.securitySchemes). */
    static final String DEVICE_TOKEN = "deviceToken";
    static final String ADMIN_TOKEN = "adminToken";
    /** An empty requirement beside a token: the token is asked for only with pep.auth.protect-metrics. */
    static final String OPTIONAL = "";

    /** Content types a browser may send cross-site without asking first (no CORS preflight). */
    private static final Set<String> SIMPLE_CONTENT_TYPES = Set.of("application/x-www-form-urlencoded",
            "multipart/form-data", "text/plain");

    private final AccessTokens tokens;
    private final boolean protectMetrics;
    /** Each API path (as {@link #apiPath} names it) → the token schemes its operations list. */
    private final Map<String, Set<String>> security = new HashMap<>();

    /**
     * {@code securityByPath}: the token schemes of each path, as the API document declares them
     * ({@code io.pep.api.OpenApiRoutes.securityByPath()}); a path absent from it is open.
     */
    public AccessGuard(AccessTokens tokens, boolean protectMetrics, Map<String, Set<String>> securityByPath) {
        this.tokens = tokens;
        this.protectMetrics = protectMetrics;
        securityByPath.forEach((path, schemes) -> security.merge(apiPath(path), schemes, (a, b) -> {
            if (!a.equals(b)) {
                throw new IllegalArgumentException("The API document declares different tokens for " + path
                        + " and its other name: " + a + " vs " + b);
            }
            return a;
        }));
    }

    @Override
    public void handle(RoutingContext context) {
        // the name of the token a call came with, for the routes (attempt log, retirements); never
        // taken from the caller
        context.request().headers().remove(io.pep.api.ApiRequest.TOKEN_NAME_HEADER);
        String path = apiPath(context.normalizedPath());
        Access access = accessOf(path);
        boolean protectedCall = access == Access.DEVICE && tokens.deviceCallsProtected()
                || access == Access.ADMIN && tokens.adminCallsProtected();
        String token = bearer(context.request().getHeader("Authorization"));
        AccessTokens.Caller caller = tokens.callerOf(token);
        if (caller.name() != null) {
            context.request().headers().set(io.pep.api.ApiRequest.TOKEN_NAME_HEADER, caller.name());
        }
        if (protectedCall) {
            AccessTokens.Role role = caller.role();
            if (role == AccessTokens.Role.NONE) {
                refuse(context, 401, token == null
                        ? "This call needs an access token: send 'Authorization: Bearer <token>' (pep-cli: set PEP_TOKEN)."
                        : "The access token is not valid for pep.", token == null ? "Bearer realm=\"pep\""
                        : "Bearer realm=\"pep\", error=\"invalid_token\"");
                return;
            }
            if (access == Access.ADMIN && role != AccessTokens.Role.ADMIN) {
                refuse(context, 403, "This call needs an admin token; a device token may only provision and look up"
                        + " gateways.", null);
                return;
            }
        } else if (isExportRun(context, path) && isCrossSiteCapable(context)) {
            refuse(context, 403, "Export runs are not accepted from a browser form or another site: send the"
                    + " request with the header 'X-Requested-By: <anything>' (curl -X POST -H 'X-Requested-By: me' …).", null);
            return;
        }
        context.next();
    }

    Access accessOf(String path) {
        Set<String> schemes = security.get(path);
        if (schemes == null) {
            schemes = templated(path);
        }
        if (schemes.contains(DEVICE_TOKEN)) {
            return Access.DEVICE;
        }
        if (schemes.contains(ADMIN_TOKEN) && (!schemes.contains(OPTIONAL) || protectMetrics)) {
            return Access.ADMIN;
        }
        return Access.OPEN;
    }

    /** The schemes of a document path with a {parameter} segment that matches {@code path} ({@code /exports/{id}}). */
    private Set<String> templated(String path) {
        String[] segments = path.split("/", -1);
        for (Map.Entry<String, Set<String>> entry : security.entrySet()) {
            String[] declared = entry.getKey().split("/", -1);
            if (declared.length != segments.length || !entry.getKey().contains("{")) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < declared.length && matches; i++) {
                boolean parameter = declared[i].startsWith("{") && declared[i].endsWith("}") && !segments[i].isEmpty();
                matches = parameter || declared[i].equals(segments[i]);
            }
            if (matches) {
                return entry.getValue();
            }
        }
        return Set.of();
    }

    /** Every API path is served under /v3 and at the root: one name for both. */
    static String apiPath(String path) {
        String p = path == null ? "/" : path;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.startsWith("/v3/") ? p.substring(3) : p;
    }

    private static boolean isExportRun(RoutingContext context, String path) {
        String method = context.request().method().name();
        return path.startsWith("/exports/") && !"GET".equals(method) && !"HEAD".equals(method);
    }

    /**
     * What a page on another site can make a browser send without a CORS preflight: a form's
     * content types, or any request carrying an Origin that is not pep's own. Scripts (curl, pep-cli)
     * send neither; a custom X-Requested-By header forces a preflight, which pep does not grant.
     */
    private static boolean isCrossSiteCapable(RoutingContext context) {
        if (context.request().getHeader("X-Requested-By") != null) {
            return false;
        }
        String contentType = context.request().getHeader("Content-Type");
        if (contentType != null) {
            String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (SIMPLE_CONTENT_TYPES.contains(type)) {
                return true;
            }
        }
        String origin = context.request().getHeader("Origin");
        if (origin != null && !isOwnOrigin(context, origin)) {
            return true;
        }
        String fetchSite = context.request().getHeader("Sec-Fetch-Site");
        return fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
    }

    /** The Origin names the host and port the request was sent to (HTTP/1.1 Host or HTTP/2 :authority). */
    private static boolean isOwnOrigin(RoutingContext context, String origin) {
        var authority = context.request().authority();
        if (authority == null) {
            return false;
        }
        try {
            java.net.URI uri = java.net.URI.create(origin.strip());
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int originPort = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            int requestPort = authority.port() > 0 ? authority.port() : context.request().isSSL() ? 443 : 80;
            return uri.getHost() != null && uri.getHost().equalsIgnoreCase(authority.host()) && originPort == requestPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : "";
    }

    private static void refuse(RoutingContext context, int status, String message, String challenge) {
        var response = context.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8");
        if (challenge != null) {
            response.putHeader("WWW-Authenticate", challenge);
        }
        response.end(message + "\n");
    }
}
