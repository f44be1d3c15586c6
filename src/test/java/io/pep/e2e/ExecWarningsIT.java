package io.pep.e2e;

import java.util.Properties;

/** {@link WarningsScenarios} through bin/pep-inject: pep reads the warnings from its output. */
class ExecWarningsIT extends WarningsScenarios {

    @Override
    protected void overrideProperties(Properties properties) {
        ExecProvisioningIT.useLauncher(properties, fcuConfigDir(), "");
        properties.setProperty("pep.fcu.config-dir", fcuConfigDir().toString());
        properties.setProperty("pep.tool.timeout", "30000");
    }
}
