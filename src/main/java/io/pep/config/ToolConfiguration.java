package io.pep.config;

import io.pep.provisioning.FactoryTool;
import io.pep.provisioning.FactoryToolExecutor;
import io.pep.provisioning.ToolSettings;
import io.pep.provisioning.ToolSlots;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factory tool's settings ({@code pep.tool.*}), read once into {@link ToolSettings} and bound
 * as {@code toolSettings}, and the beans the provisioning route runs the tool with. Other
 * configuration classes look {@code toolSettings} up (in {@code configure}, when every class's beans
 * are bound, or on first use) rather than inject the same keys again.
 */
public class ToolConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ToolConfiguration.class);

    @PropertyInject("pep.tool.kind")
    private String kind;
    @PropertyInject("pep.tool.mode")
    private String mode;
    @PropertyInject("pep.tool.executable")
    private String executable;
    @PropertyInject("pep.tool.args")
    private String arguments;
    @PropertyInject("pep.tool.env")
    private String environment;
    @PropertyInject("pep.tool.working-dir")
    private String workingDir;
    @PropertyInject("pep.tool.timeout")
    private long timeoutMs;
    @PropertyInject("pep.tool.kill-grace")
    private long killGraceMs;
    @PropertyInject("pep.tool.max-concurrent")
    private int maxConcurrent;
    @PropertyInject("pep.tool.queue-wait")
    private long queueWaitMs;
    @PropertyInject("pep.data.dir")
    private String dataDir;

    private ToolSettings settings;

    @BindToRegistry("toolSettings")
    public synchronized ToolSettings toolSettings() {
        if (settings == null) {
            settings = ToolSettings.of(kind, mode, executable, arguments, environment, workingDir, timeoutMs,
                    killGraceMs, maxConcurrent, queueWaitMs);
        }
        return settings;
    }

    @BindToRegistry("factoryTool")
    public FactoryTool factoryTool() {
        return new FactoryTool(toolSettings());
    }

    @BindToRegistry("factoryToolExecutor")
    public FactoryToolExecutor factoryToolExecutor() {
        return new FactoryToolExecutor(toolSettings().environment(), toolSettings().killGraceMs(),
                java.nio.file.Path.of(dataDir));
    }

    @BindToRegistry("toolSlots")
    public ToolSlots toolSlots() {
        return new ToolSlots(toolSettings().maxConcurrent(), toolSettings().queueWaitMs());
    }

    @Override
    public void configure(CamelContext camelContext) {
        ToolSettings tool = toolSettings();
        LOG.info("Factory tool kind: {}, mode {}", tool.describeKind(), tool.mode());
        String mismatch = tool.mismatch();
        if (mismatch != null) {
            LOG.warn(mismatch);
        }
    }

    /** The bound settings, for other configuration classes' {@code configure} (every bean is bound by then). */
    static ToolSettings lookup(CamelContext camelContext) {
        return camelContext.getRegistry().lookupByNameAndType("toolSettings", ToolSettings.class);
    }
}
