package io.pep.config;

import io.pep.injector.CertificateValidity;
import io.pep.injector.DevelopmentConfig;
import io.pep.injector.FcuConfig;
import io.pep.injector.FcuConfigException;
import io.pep.provisioning.InProcessInjector;
import io.pep.provisioning.ToolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pep's own injector: the development FCU config a newcomer starts with, and the in-process
 * injector bean. A broken config fails the start with one clear message when pep's injector is
 * the tool in use.
 */
public class InjectorConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(InjectorConfiguration.class);

    @PropertyInject("pep.fcu.config-dir")
    private String configDir;

    @PropertyInject("pep.fcu.dev-config-dir")
    private String devConfigDir;

    @PropertyInject("pep.inject.connect-timeout")
    private long connectTimeoutMs;

    @PropertyInject("pep.inject.read-timeout")
    private long readTimeoutMs;

    @PropertyInject("pep.fcu.expiry-warning-days")
    private String expiryWarningDays;

    private InProcessInjector inProcessInjector;

    @BindToRegistry("inProcessInjector")
    public synchronized InProcessInjector inProcessInjector() {
        if (inProcessInjector == null) {
            inProcessInjector = new InProcessInjector(Path.of(configDir), Duration.ofMillis(connectTimeoutMs),
                    Duration.ofMillis(readTimeoutMs));
        }
        return inProcessInjector;
    }

    @Override
    public void configure(CamelContext camelContext) throws FcuConfigException {
        Path config = Path.of(configDir).toAbsolutePath().normalize();
        ToolSettings tool = ToolConfiguration.lookup(camelContext);
        // only the designated development folder is ever generated (a mistyped production path must not
        // be), and only for a tool that reads it: a custom tool gets no CA it never uses (nor its start time)
        if (readsFcuConfig(tool) && config.equals(Path.of(devConfigDir).toAbsolutePath().normalize())) {
            LOG.warn(DevelopmentConfig.createIfAbsent(config).notice());
        }
        if (tool.inProcess()) {
            inProcessInjector().load();
            checkValidity(config);
            LOG.info("Factory tool: pep's injector in-process, FCU config {}", config);
        } else if (tool.kind() == ToolSettings.Kind.PEP_INJECT) {
            // pep-inject reads the same folder per gateway: a broken one fails the start, not every gateway
            checkValidity(config);
            LOG.info("Factory tool: {} (exec), FCU config {}", tool.executable(), config);
        }
    }

    /** pep's injector (in-process or pep-inject) and the vendor's FCU read pep.fcu.config-dir; a custom tool does not. */
    private static boolean readsFcuConfig(ToolSettings tool) {
        return tool.inProcess() || tool.kind() != ToolSettings.Kind.CUSTOM;
    }

    /** Fails on an expired certificate; logs the near-expiry warnings and how long the config stays valid. */
    private void checkValidity(Path config) throws FcuConfigException {
        Duration warningPeriod;
        try {
            warningPeriod = CertificateValidity.warningPeriod(expiryWarningDays);
        } catch (IllegalArgumentException e) {
            throw new FcuConfigException("pep.fcu.expiry-warning-days: " + e.getMessage(), e);
        }
        Instant now = Instant.now();
        FcuConfig loaded = FcuConfig.load(config, System.getenv(), warningPeriod, now);
        loaded.warnings().forEach(warning -> LOG.warn("FCU config: {}", warning));
        LOG.info(loaded.validitySummary(now));
    }
}
