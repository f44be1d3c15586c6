package io.pep.e2e;

import java.util.Properties;

/** The end-to-end scenarios with {@code pep.tool.mode=in-process}: pep's injector as a bean. */
class InProcessProvisioningTest extends ProvisioningScenarios {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.mode", "in-process");
        properties.setProperty("pep.inject.connect-timeout", "2000");
        properties.setProperty("pep.inject.read-timeout", String.valueOf(readTimeoutMs()));
    }

    @Override
    protected long readTimeoutMs() {
        // short enough for the silent-gateway case, long enough for a healthy one on a busy machine
        return 5000;
    }
}
