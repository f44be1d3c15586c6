package io.pep.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The end-to-end scenarios through pep's default tool mode: camel-exec runs the real launcher
 * {@code bin/pep-inject} on the fat jar {@code target/pep.jar} once per gateway. The test builds
 * nothing: run it in the Maven lifecycle after {@code package} (failsafe, {@code mvn verify}) or
 * build the jar first ({@code mvn -DskipTests package}).
 */
class ExecProvisioningIT extends ProvisioningScenarios {

    static final Path LAUNCHER = Path.of("bin/pep-inject").toAbsolutePath();
    static final Path JAR = Path.of("target/pep.jar").toAbsolutePath();

    @Override
    protected void overrideProperties(Properties properties) {
        useLauncher(properties, dataDir().resolve("dev-fcu-config"), ",PEP_INJECT_READ_TIMEOUT_MS=" + readTimeoutMs());
        // a JVM per gateway: leave it time to start on a busy 2-core CI machine
        properties.setProperty("pep.tool.timeout", "30000");
    }

    @Override
    protected long readTimeoutMs() {
        return 1500;
    }

    /** exec mode with bin/pep-inject on target/pep.jar; fails clearly when the jar is not built. */
    static void useLauncher(Properties properties, Path fcuConfigDir, String extraEnvironment) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: these end-to-end tests exec bin/pep-inject on the"
                    + " fat jar and build nothing themselves. Run them with 'mvn verify' (failsafe runs after"
                    + " package) or build the jar first: mvn -DskipTests package");
        }
        if (!Files.isExecutable(LAUNCHER)) {
            throw new IllegalStateException(LAUNCHER + " is missing or not executable");
        }
        properties.setProperty("pep.tool.mode", "exec");
        properties.setProperty("pep.tool.executable", LAUNCHER.toString());
        properties.setProperty("pep.tool.env", "PEP_FCU_CONFIG_DIR=" + fcuConfigDir + ",PEP_JAR=" + JAR
                + ",PEP_INJECT_CONNECT_TIMEOUT_MS=2000" + extraEnvironment);
    }
}
