package io.pep.config;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.model.Model;

/**
 * What a site adds to pep (docs/site-variations.md): its routes from {@code pep.routes.dir} and
 * its pre-provisioning hook. Here only the part YAML cannot say: the hook's error contract.
 */
public class SiteConfiguration implements CamelConfiguration {

    @PropertyInject("pep.hooks.before-provision")
    private String beforeProvisionHook;

    @Override
    public void configure(CamelContext camelContext) {
        camelContext.getCamelContextExtension().getContextPlugin(Model.class)
                .addModelLifecycleStrategy(new HookRouteGuard(camelContext, beforeProvisionHook));
    }
}
