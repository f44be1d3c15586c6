package io.pep.provisioning;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The factory tool's settings ({@code pep.tool.*}), read and checked once: which kind of tool, how
 * it runs, and its limits. Bound as {@code toolSettings}; every bean and configuration class that
 * needs one of these values takes it from here instead of injecting the key again.
 *
 * @param kind what the tool is, which decides the start-up and readiness checks of its config
 * @param kindGuessed true when {@code pep.tool.kind} was empty or {@code auto} and the kind was
 *        guessed from the executable and arguments (pep before {@code pep.tool.kind} existed)
 * @param mode {@code exec} (a process per gateway) or {@code in-process} (pep's injector as a bean)
 */
public record ToolSettings(Kind kind, boolean kindGuessed, String mode, String executable, String arguments,
        Map<String, String> environment, String workingDir, long timeoutMs, long killGraceMs, int maxConcurrent,
        long queueWaitMs) {

    /** {@code pep.tool.kind}. */
    public enum Kind {
        /** pep's own injector (bin/pep-inject, or in-process): pep.fcu.config-dir is checked at start-up. */
        PEP_INJECT("pep-inject"),
        /** the vendor's FCU ft_demo.py: pep.fcu.config-dir must pass fcu-config-validator.sh's checks. */
        FT_DEMO("ft-demo"),
        /** any other program: run as configured, nothing checked but that it can be executed. */
        CUSTOM("custom");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    public ToolSettings {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * From the raw property values. {@code kind} empty or {@code auto}: guessed as pep did before
     * the setting existed (ft_demo.py in the arguments, an executable named pep-inject, in-process mode).
     */
    public static ToolSettings of(String kind, String mode, String executable, String arguments, String environment,
            String workingDir, long timeoutMs, long killGraceMs, int maxConcurrent, long queueWaitMs) {
        String trimmedMode = mode == null ? "" : mode.trim();
        if (!"exec".equals(trimmedMode) && !"in-process".equals(trimmedMode)) {
            throw new IllegalArgumentException("pep.tool.mode must be 'exec' or 'in-process', not '" + mode + "'");
        }
        String exe = executable == null ? "" : executable.trim();
        String args = arguments == null ? "" : arguments.trim();
        String wanted = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        boolean guessed = wanted.isEmpty() || "auto".equals(wanted);
        Kind resolved = guessed ? guess(trimmedMode, exe, args) : parseKind(kind);
        return new ToolSettings(resolved, guessed, trimmedMode, exe, args, parseEnvironment(environment),
                workingDir == null || workingDir.isBlank() ? "." : workingDir.trim(), timeoutMs, killGraceMs,
                maxConcurrent, queueWaitMs);
    }

    private static Kind parseKind(String text) {
        for (Kind kind : Kind.values()) {
            if (kind.value.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("pep.tool.kind must be 'pep-inject', 'ft-demo', 'custom' or 'auto', not '"
                + text + "'");
    }

    /** What pep guessed before {@code pep.tool.kind} existed. */
    static Kind guess(String mode, String executable, String arguments) {
        if ("in-process".equals(mode)) {
            return Kind.PEP_INJECT;
        }
        if (arguments.contains("ft_demo.py")) {
            return Kind.FT_DEMO;
        }
        return namesPepInject(executable) ? Kind.PEP_INJECT : Kind.CUSTOM;
    }

    static boolean namesPepInject(String executable) {
        if (executable.isEmpty()) {
            return false;
        }
        Path name = Path.of(executable).getFileName();
        return name != null && name.toString().equals("pep-inject");
    }

    public boolean inProcess() {
        return "in-process".equals(mode);
    }

    /** The guess disagrees with an explicit kind (e.g. the bundled pep-inject left while args run ft_demo.py). */
    public String mismatch() {
        if (kindGuessed || inProcess()) {
            return null;
        }
        Kind guess = guess(mode, executable, arguments);
        if (guess == kind || guess == Kind.CUSTOM) {
            return null;
        }
        return "pep.tool.kind is '" + kind.value + "' but the executable and arguments look like '" + guess.value
                + "': set pep.tool.kind=" + guess.value + " (or custom) if that is the tool in use";
    }

    /** How the log names the choice at start-up. */
    public String describeKind() {
        return kindGuessed ? kind.value + " (guessed from pep.tool.executable/args; set pep.tool.kind to say it)"
                : kind.value + " (pep.tool.kind)";
    }

    /** {@code NAME=value,NAME2=value2} → map; blank → empty. */
    public static Map<String, String> parseEnvironment(String text) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return environment;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("pep.tool.env: expected NAME=value pairs separated by commas, got '"
                        + pair + "'");
            }
            environment.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return environment;
    }
}
