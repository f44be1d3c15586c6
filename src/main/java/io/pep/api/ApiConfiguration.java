package io.pep.api;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.builder.LambdaRouteBuilder;

/**
 * The REST API's verbs, read from its OpenAPI document ({@link OpenApiRoutes}). Bound as a route
 * builder in the registry: camel-main adds it with the route files, after the {@code camel.rest.*}
 * settings are applied, so its verbs are built as a {@code rest:} block would be.
 */
public class ApiConfiguration implements CamelConfiguration {

    /** For camel.component.platform-http.header-filter-strategy: routes' Cache-Control is answered. */
    @BindToRegistry("answerHeaders")
    public AnswerHeaders answerHeaders() {
        return new AnswerHeaders();
    }

    @BindToRegistry("listingAnswers")
    public ListingAnswers listingAnswers() {
        return new ListingAnswers();
    }

    @BindToRegistry("openApiRoutes")
    public LambdaRouteBuilder openApiRoutes() {
        return new OpenApiRoutes()::configure;
    }
}
