package io.pep.dashboard;

import io.pep.identity.NotFound;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The dashboard's page and its files, from the jar (src/main/resources/dashboard/): no CDN, no
 * build step. Only the files named in {@link #ASSETS} are served: the name from the URL is a key
 * into that table, never part of a path.
 */
public class DashboardAssets {

    static final Map<String, String> ASSETS = Map.of(
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    /** What Vert.x answers for a path no route serves, as GET / did before. */
    static final String NOT_FOUND = "<html><body><h1>Resource not found</h1></body></html>";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** GET /dashboard. */
    public void page(Exchange exchange) {
        answer(exchange, resource("dashboard/index.html"), "text/html; charset=utf-8");
    }

    /** GET /dashboard/assets/{asset}: one of {@link #ASSETS}; anything else is 404 {@code Not found!}. */
    public void asset(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String name = path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        String type = name == null ? null : ASSETS.get(name);
        if (type == null) {
            throw new NotFound();
        }
        answer(exchange, resource("dashboard/" + name), type);
    }

    /**
     * GET /: a browser (it asks for text/html) is sent to the dashboard; anything else gets the
     * same 404 as before this route existed (Vert.x's "Resource not found" page, byte for byte).
     */
    public void root(Exchange exchange) {
        String accept = exchange.getIn().getHeader("Accept", String.class);
        var out = exchange.getMessage();
        if (accept == null || !accept.toLowerCase(java.util.Locale.ROOT).contains("text/html")) {
            dropInboundHeaders(out);
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            out.setBody(NOT_FOUND);
            return;
        }
        dropInboundHeaders(out);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        out.setHeader("Location", "/dashboard");
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.setBody("See /dashboard\n");
    }

    private void answer(Exchange exchange, byte[] body, String contentType) {
        var out = exchange.getMessage();
        dropInboundHeaders(out);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setHeader("Cache-Control", "no-cache");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(body);
    }

    /** As the API's answers: query parameters arrive as headers and must not be echoed back. */
    private static void dropInboundHeaders(org.apache.camel.Message message) {
        message.removeHeaders("*", "Camel*");
    }

    private byte[] resource(String path) {
        return cache.computeIfAbsent(path, key -> {
            try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(key)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + key);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
