package io.pep.config;

import io.pep.injector.ArgumentEncoding;
import io.pep.provisioning.FactoryToolExecutor;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factory tool's processes: a tool run never outlives the pep that started it (as soon as pep
 * begins to stop, before it waits for in-flight requests, every running tool is ended with its
 * child processes; pep-inject also ends itself when pep dies without stopping), and at start-up
 * the log says when this JVM cannot hand non-ASCII serials to a tool unchanged (they are then
 * refused with 400, never mangled). At start, tool processes a killed pep on the same data folder
 * left running are ended.
 */
public class ToolProcessesConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ToolProcessesConfiguration.class);

    @Override
    public void configure(CamelContext camelContext) {
        if (!ToolConfiguration.lookup(camelContext).inProcess() && !ArgumentEncoding.forChildArguments().equals(StandardCharsets.UTF_8)) {
            LOG.warn("pep runs without a UTF-8 locale (factory tool arguments are encoded as {}): serial numbers with"
                    + " characters outside it will be refused with 400. Start pep with LANG=C.UTF-8 (bin/pep and the"
                    + " Docker image do).", ArgumentEncoding.forChildArguments().name());
        }
        FactoryToolExecutor executor =
                camelContext.getRegistry().lookupByNameAndType("factoryToolExecutor", FactoryToolExecutor.class);
        if (executor != null) {
            executor.endOrphans(); // a hung tool a killed pep left behind would hold its gateway's port
        }
        // stop() tells lifecycle strategies first; other ways of stopping (shutdown, close) only send the
        // stopping event: both end the tools before Camel waits for in-flight requests
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                endRunningTools(context);
            }
        });
        camelContext.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                endRunningTools(camelContext);
            }
        });
    }

    private static void endRunningTools(CamelContext context) {
        FactoryToolExecutor executor =
                context.getRegistry().lookupByNameAndType("factoryToolExecutor", FactoryToolExecutor.class);
        if (executor != null) {
            executor.stopAll();
        }
    }
}
