package io.pep.config;

import java.util.Arrays;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a site's pre-provisioning hook ({@code pep.hooks.before-provision}) from failing open.
 * A hook refuses by throwing; that exception must travel back to the provision route, which
 * answers it (403, 503, ...) and writes nothing. Under Camel's default error handler the hook
 * route would instead swallow it into an empty 500, and under a handling configuration such as
 * {@code api-errors} provisioning would even go on. So the route consuming the hook endpoint
 * gets what {@value #PROPAGATE_ERRORS} says (no error handler) when it names no route
 * configuration, and is refused when it names another one: pep does not start, or, on a reload,
 * the hook route is gone and provisioning answers 500 until the file is fixed (fails closed).
 */
public class HookRouteGuard extends ModelLifecycleStrategySupport {

    static final String PROPAGATE_ERRORS = "propagate-errors";
    private static final Logger LOG = LoggerFactory.getLogger(HookRouteGuard.class);

    private final CamelContext camelContext;
    private final String hookUri;

    public HookRouteGuard(CamelContext camelContext, String hookUri) {
        this.camelContext = camelContext;
        this.hookUri = normalize(hookUri);
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        if (route.getInput() == null || !hookUri.equals(consumedUri(route))) {
            return;
        }
        String configured = route.getRouteConfigurationId();
        if (configured == null || configured.isBlank()) {
            // what propagate-errors says; route configurations were already matched when the file
            // was read, so naming it here would come too late: set its error handler directly
            route.setErrorHandlerFactory(new NoErrorHandlerDefinition());
            LOG.info("Pre-provisioning hook route '{}' runs without an error handler (as routeConfigurationId {}) "
                    + "so that its refusals reach the provision route", route.getRouteId(), PROPAGATE_ERRORS);
        } else if (Arrays.stream(configured.split(",")).map(String::trim).noneMatch(PROPAGATE_ERRORS::equals)) {
            throw new IllegalArgumentException("Pre-provisioning hook route '" + route.getRouteId() + "' ("
                    + hookUri + ") names routeConfigurationId " + configured + ": a hook must use "
                    + PROPAGATE_ERRORS + " (or name none), else a refusal would not stop provisioning");
        }
    }

    private String consumedUri(RouteDefinition route) {
        try {
            return normalize(camelContext.resolvePropertyPlaceholders(route.getInput().getEndpointUri()));
        } catch (RuntimeException e) {
            return null; // e.g. a missing placeholder: Camel reports it itself when it creates the route
        }
    }

    private static String normalize(String uri) {
        try {
            return URISupport.normalizeUri(uri);
        } catch (Exception e) {
            return uri;
        }
    }
}
