package io.pep.e2e;

import java.util.Properties;

/** {@link WarningsScenarios} with pep's injector in-process. */
class InProcessWarningsTest extends WarningsScenarios {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.tool.mode", "in-process");
        properties.setProperty("pep.fcu.config-dir", fcuConfigDir().toString());
    }
}
