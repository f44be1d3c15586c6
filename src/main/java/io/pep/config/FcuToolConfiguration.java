package io.pep.config;

import io.pep.injector.CertificateValidity;
import io.pep.injector.FcuConfigException;
import io.pep.injector.FcuToolCheck;
import io.pep.provisioning.ToolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With the vendor's FCU as factory tool ({@code pep.tool.kind=ft-demo}), pep does not
 * start unless {@code pep.fcu.config-dir} passes the checks of fcu-config-validator.sh: one
 * message lists every problem, instead of each gateway failing on the first one.
 */
public class FcuToolConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FcuToolConfiguration.class);

    @PropertyInject("pep.fcu.config-dir")
    private String configDir;

    @PropertyInject("pep.fcu.expiry-warning-days")
    private String expiryWarningDays;

    @Override
    public void configure(CamelContext camelContext) throws FcuConfigException {
        ToolSettings tool = ToolConfiguration.lookup(camelContext);
        if (tool.inProcess() || tool.kind() != ToolSettings.Kind.FT_DEMO) {
            return;
        }
        Duration warningPeriod;
        try {
            warningPeriod = CertificateValidity.warningPeriod(expiryWarningDays);
        } catch (IllegalArgumentException e) {
            throw new FcuConfigException("pep.fcu.expiry-warning-days: " + e.getMessage(), e);
        }
        FcuToolCheck.Findings findings = FcuToolCheck.require(Path.of(configDir), warningPeriod);
        findings.warnings().forEach(LOG::warn);
        LOG.info("Factory tool: the vendor's FCU (ft_demo.py), FCU config folder {} checked", findings.folder());
        LOG.info(findings.validitySummary(Instant.now()));
    }
}
