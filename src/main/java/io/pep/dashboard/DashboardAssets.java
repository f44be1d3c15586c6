package io.pep.dashboard;

import io.pep.api.JarFiles;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The dashboard's page and its files, from the jar (src/main/resources/dashboard/): no CDN, no
 * build step. Only the files named in {@link #ASSETS} are served: the name from the URL is a key
 * into that table, never part of a path.
 */
public class DashboardAssets {

    static final Map<String, JarFiles.File> ASSETS = Map.of(
            "dashboard.css", new JarFiles.File("dashboard/dashboard.css", "text/css; charset=utf-8"),
            "dashboard.js", new JarFiles.File("dashboard/dashboard.js", "text/javascript; charset=utf-8"));

    /** What Vert.x answers for a path no route serves, as GET / did before. */
    static final String NOT_FOUND = "<html><body><h1>Resource not found</h1></body></html>";

    private final JarFiles files = new JarFiles();

    /** GET /dashboard. */
    public void page(Exchange exchange) {
        files.answer(exchange, new JarFiles.File("dashboard/index.html", "text/html; charset=utf-8"));
    }

    /** GET /dashboard/assets/{asset}: one of {@link #ASSETS}; anything else is 404 {@code Not found!}. */
    public void asset(Exchange exchange) {
        files.answer(exchange, JarFiles.requested(exchange, ASSETS));
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

    /** As the API's answers: query parameters arrive as headers and must not be echoed back. */
    private static void dropInboundHeaders(org.apache.camel.Message message) {
        message.removeHeaders("*", "Camel*");
    }

}
