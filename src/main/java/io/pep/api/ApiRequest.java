package io.pep.api;

import io.pep.identity.QueryParameters;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Takes from an incoming API request what the routes need, into exchange properties, before
 * the routes drop every inbound header (headers would otherwise be echoed into the response).
 */
public class ApiRequest {

    public static final String QUERY = "query";
    public static final String ACCEPT = "accept";
    /** The exchange property with the name of the access token the call came with (null: none). */
    public static final String TOKEN_NAME = "tokenName";
    /** Set by the access guard only (an incoming one is removed first). */
    public static final String TOKEN_NAME_HEADER = "X-Pep-Token-Name";

    public void capture(Exchange exchange) {
        var in = exchange.getIn();
        QueryParameters query = QueryParameters.parse(in.getHeader(Exchange.HTTP_QUERY, String.class));
        exchange.setProperty(QUERY, query);
        exchange.setProperty("requestPath", in.getHeader(Exchange.HTTP_PATH, String.class));
        exchange.setProperty(ACCEPT, in.getHeader("Accept", String.class));
        exchange.setProperty(TOKEN_NAME, in.getHeader(TOKEN_NAME_HEADER, String.class));
        dropInboundHeaders(in);
    }

    /**
     * Camel copies exchange headers into the HTTP response, and query parameters arrive as headers:
     * a parameter holding a newline would break the response, and every one would be echoed back.
     */
    static void dropInboundHeaders(Message message) {
        message.removeHeaders("*", "Camel*");
    }
}
