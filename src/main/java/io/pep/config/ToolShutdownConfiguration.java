package io.pep.config;

import io.pep.provisioning.FactoryToolExecutor;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * A tool run never outlives the pep that started it: as soon as pep begins to stop (before it
 * waits for in-flight requests), every running factory tool is ended with its child processes.
 * (pep-inject also ends itself when pep dies without stopping, e.g. on kill -9.)
 */
public class ToolShutdownConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                FactoryToolExecutor executor =
                        context.getRegistry().lookupByNameAndType("factoryToolExecutor", FactoryToolExecutor.class);
                if (executor != null) {
                    executor.stopAll();
                }
            }
        });
    }
}
