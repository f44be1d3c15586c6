package io.pep.observe;

import io.pep.injector.FcuConfig;
import io.pep.injector.FcuConfigException;
import io.pep.injector.FcuToolCheck;
import io.pep.provisioning.ToolSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the factory tool can run a gateway now. exec: the executable is there and may be
 * executed, and its FCU config folder passes the start-up checks again (a CA certificate expires
 * while pep runs); in-process: pep's injector loads its config folder.
 */
public class FactoryToolHealthCheck extends AbstractHealthCheck {

    private final Supplier<ToolSettings> settings;
    private final Path configDir;

    /** The settings are looked up on first use: beans of different configuration classes are bound in no set order. */
    public FactoryToolHealthCheck(Supplier<ToolSettings> settings, String configDir) {
        super("pep", "factory-tool");
        this.settings = settings;
        this.configDir = Path.of(configDir);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ToolSettings tool = settings.get();
        builder.detail("mode", tool.mode());
        builder.detail("kind", tool.kind().value());
        if (tool.inProcess()) {
            checkPepConfig(builder);
            return;
        }
        // a path with a folder in it is relative to the tool's working folder; a bare name is looked up on the PATH
        Path executable = tool.executable().contains("/") ? Path.of(tool.workingDir()).resolve(tool.executable())
                : Path.of(tool.executable());
        builder.detail("executable", executable.toString());
        Path resolved = resolveOnPath(executable);
        if (resolved == null || !Files.isRegularFile(resolved)) {
            builder.down().message("The factory tool " + executable + " does not exist (pep.tool.executable)");
            return;
        }
        if (!Files.isExecutable(resolved)) {
            builder.down().message("The factory tool " + resolved + " is not executable (chmod +x, or the user pep runs as)");
            return;
        }
        if (tool.kind() == ToolSettings.Kind.FT_DEMO) {
            FcuToolCheck.Findings findings = FcuToolCheck.check(configDir);
            if (!findings.usable()) {
                builder.down().message(findings.message());
                return;
            }
            builder.up();
        } else if (tool.kind() == ToolSettings.Kind.PEP_INJECT) {
            checkPepConfig(builder);
        } else {
            builder.up();
        }
    }

    private void checkPepConfig(HealthCheckResultBuilder builder) {
        try {
            FcuConfig.load(configDir);
            builder.up();
        } catch (FcuConfigException | RuntimeException e) {
            builder.down().message("FCU config " + configDir + " (pep.fcu.config-dir): " + e.getMessage());
        }
    }

    /** A bare command name is looked up on the PATH, as the operating system would. */
    private static Path resolveOnPath(Path executable) {
        if (executable.getNameCount() > 1 || executable.isAbsolute()) {
            return executable;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir).resolve(executable);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
