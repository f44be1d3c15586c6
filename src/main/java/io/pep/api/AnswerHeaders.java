package io.pep.api;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Which message headers reach an HTTP answer: Camel's HTTP filter, except that a route's
 * {@code Cache-Control} is sent. Camel drops it with the hop-by-hop headers, so the health and
 * metrics answers' {@code no-store} and the dashboard's and docs' {@code no-cache} never reached a
 * browser or a proxy (an operator would see yesterday's dashboard after an upgrade).
 */
public class AnswerHeaders extends HttpHeaderFilterStrategy {

    @Override
    protected void initialize() {
        super.initialize();
        getOutFilter().remove("cache-control");
    }
}
