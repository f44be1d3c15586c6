package io.pep.api;

import io.netty.handler.codec.TooLongFrameException;
import io.pep.identity.InvalidRequest;
import io.pep.identity.QueryParameters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What pep answers before a request reaches a Camel route, and where the HTTP layer itself
 * refuses: every such answer is a one-line {@code text/plain} message (gateway scripts and
 * operators read bodies, an empty 4xx tells them nothing), and each is logged in one line.
 * <ul>
 * <li>while the routes are not all started (start-up, shutdown): 503 + {@code Retry-After}, never
 *     the 404 of a route that is not there yet;</li>
 * <li>a query string that does not decode (bad %-escape, bytes that are not UTF-8): 400 naming the
 *     parameter, as the routes would, instead of the HTTP library's generic answer;</li>
 * <li>requests the HTTP codec refuses (request line too long 414, headers too large 431,
 *     malformed 400) and paths or methods no route serves (404, 405).</li>
 * </ul>
 */
public class HttpEdge {

    static final String STARTING = "pep is starting or stopping; retry in a second.";
    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);

    private final BooleanSupplier started;

    public HttpEdge(BooleanSupplier started) {
        this.started = started;
    }

    /** 503 until every route is started (and again once pep is stopping). */
    public void startGate(RoutingContext ctx) {
        if (started.getAsBoolean()) {
            ctx.next();
        } else {
            answer(ctx.response(), 503, STARTING, "1");
        }
    }

    /** 400 for a path with a broken %-escape, which the router could not even match. */
    public void pathCheck(RoutingContext ctx) {
        try {
            ctx.normalizedPath();
        } catch (IllegalArgumentException malformed) {
            LOG.info("400 {}: {}", oneLine(ctx.request().path()), oneLine(String.valueOf(malformed.getMessage())));
            answer(ctx.response(), 400, "Bad request: the path has a malformed %-escape.", null);
            return;
        }
        ctx.next();
    }

    /** 400 for a query string that cannot be decoded, in pep's words; the routes parse it again. */
    public void queryCheck(RoutingContext ctx) {
        try {
            QueryParameters.parse(ctx.request().query());
        } catch (InvalidRequest invalid) {
            LOG.info("400 {}: {}", ctx.normalizedPath(), invalid.getMessage());
            answer(ctx.response(), 400, invalid.getMessage(), null);
            return;
        }
        ctx.next();
    }

    /** For {@code HttpServer.invalidRequestHandler}: what the HTTP codec could not read. */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String reason = cause == null ? "unknown" : String.valueOf(cause.getMessage());
        int status = 400;
        String message = "Bad request: not a valid HTTP/1.1 request (" + oneLine(reason) + ").";
        if (cause instanceof TooLongFrameException && reason.startsWith("An HTTP line is larger than")) {
            status = 414;
            message = "URI too long: the request line is over the server's limit; send a shorter query.";
        } else if (cause instanceof TooLongFrameException && reason.startsWith("HTTP header is larger than")) {
            status = 431;
            message = "Request header fields too large: the request's headers are over the server's limit.";
        }
        LOG.info("{} from {}: {}", status, request.remoteAddress(), oneLine(reason));
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        answer(response, status, message, null);
    }

    /** For {@code Router.errorHandler}: the router's own refusals, and failures no route answered. */
    public static void routerError(RoutingContext ctx) {
        int status = ctx.statusCode();
        String message = switch (status) {
            case 404 -> "Not found: no API operation at this path; pep's API is described at /docs.";
            case 405 -> "Method not allowed: " + ctx.request().method() + " is not served at this path (see /docs).";
            case 413 -> "Request entity too large.";
            case 400 -> "Bad request: the request is incomplete or malformed (an HTTP/1.1 request needs a Host header).";
            default -> "Internal error.";
        };
        String reason = ctx.failure() == null ? "-" : oneLine(String.valueOf(ctx.failure().getMessage()));
        if (status >= 500) {
            LOG.warn("{} {}: {}", status, oneLine(ctx.request().path()), reason);
        } else if (ctx.failure() != null) {
            LOG.info("{} {}: {}", status, oneLine(ctx.request().path()), reason);
        } else {
            LOG.debug("{} {} {}", status, ctx.request().method(), oneLine(ctx.request().path()));
        }
        if (!ctx.response().ended() && !ctx.response().headWritten()) {
            if (status == 405) {
                Allowed.of(ctx.normalizedPath()).ifPresent(methods -> ctx.response().putHeader(HttpHeaders.ALLOW, methods));
            }
            answer(ctx.response(), status, message, null);
        }
    }

    /** The methods served at a path of the API document: every operation path it matches ({id} is one segment). */
    private static final class Allowed {
        private static final Map<Pattern, Set<String>> BY_PATH = new LinkedHashMap<>();

        static {
            OpenApiRoutes.methodsByPath().forEach((path, methods) -> BY_PATH.put(Pattern.compile(
                    Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")), methods));
        }

        static Optional<String> of(String path) {
            Set<String> methods = new TreeSet<>();
            BY_PATH.forEach((pattern, served) -> {
                if (pattern.matcher(path).matches()) {
                    methods.addAll(served);
                }
            });
            return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
        }
    }

    /** Status codes {@link #routerError} answers. */
    public static final Set<Integer> ROUTER_ERRORS = Set.of(400, 404, 405, 413, 500);

    static void answer(HttpServerResponse response, int status, String message, String retryAfter) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        response.end(message + "\n");
    }

    static String oneLine(String text) {
        if (text == null) {
            return "-";
        }
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
