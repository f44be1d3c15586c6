package io.pep.provisioning;

import io.pep.identity.InvalidRequest;
import io.pep.injector.ArgumentEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured factory tool (FCU's ft_demo or pep-inject): which program, the argument list
 * template with {@code {serialNumber}}, {@code {ip}}, {@code {port}} placeholders, and the extra
 * environment. Arguments are split on whitespace <em>before</em> the placeholders are filled in,
 * so a value always stays one argument and never meets a shell.
 */
public class FactoryTool {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(serialNumber|ip|port)}");

    private final boolean inProcess;
    private final String executable;
    private final List<String> argumentTemplate;
    private final Map<String, String> environment;

    public FactoryTool(ToolSettings settings) {
        this.inProcess = settings.inProcess();
        this.executable = settings.executable();
        this.argumentTemplate = settings.arguments().isEmpty()
                ? List.of() : List.of(settings.arguments().split("\\s+"));
        this.environment = settings.environment();
    }

    public String getExecutable() {
        return executable;
    }

    public Map<String, String> getEnvironment() {
        return environment;
    }

    /**
     * Before anything is written: {@link ToolUnavailable} with what to set when no runnable tool is
     * configured (the server still serves the rest), {@link InvalidRequest} when this gateway's arguments cannot reach the tool byte
     * for byte (a serial must never be injected under another name than the one recorded).
     */
    public void checkConfigured(IdentityRequest request) {
        checkConfigured();
        if (!inProcess && request != null) {
            String why = ArgumentEncoding.unencodable(arguments(request));
            if (why != null) {
                throw new InvalidRequest("Invalid request: parameter 'serialNumber' ('" + request.getSerialNumber()
                        + "') is refused: " + why + ". Nothing was recorded.");
            }
        }
    }

    /** {@link ToolUnavailable} with what to set, when no runnable tool is configured (the server still serves the rest). */
    public void checkConfigured() {
        if (inProcess) {
            return; // its config was checked at start-up
        }
        if (executable.isEmpty() || !Files.isExecutable(Path.of(executable))) {
            throw new ToolUnavailable("No factory tool is configured: '" + executable + "' is not an executable file."
                    + " Set pep.tool.executable (env PEP_TOOL_EXECUTABLE) to FCU's python with ft_demo.py in"
                    + " pep.tool.args, or build pep (mvn -DskipTests package) to use its own injector bin/pep-inject.",
                    null);
        }
    }

    public boolean isInProcess() {
        return inProcess;
    }

    /** The argument list for one gateway. */
    public List<String> arguments(IdentityRequest request) {
        Map<String, String> values = Map.of("serialNumber", request.getSerialNumber(), "ip", request.getIp(),
                "port", String.valueOf(request.getPort()));
        List<String> arguments = new ArrayList<>(argumentTemplate.size());
        for (String template : argumentTemplate) {
            arguments.add(fill(template, values));
        }
        return arguments;
    }

    /**
     * Fills {@code {name}} placeholders in one pass over the template: a value is copied, never
     * scanned again, so a serial {@code GW-A{port}} stays {@code GW-A{port}}. Unknown names and
     * lone braces are kept as written.
     */
    static String fill(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder(template.length() + 32);
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value != null ? value : placeholder.group()));
        }
        placeholder.appendTail(filled);
        return filled.toString();
    }
}
