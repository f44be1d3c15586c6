package io.pep.injector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GNU-style arguments as ft_demo takes them: words ({@code inject}, {@code tcp}) and options as
 * {@code --name=value} or {@code --name value}; names in {@code flags} take no value. Unknown
 * options and repeated ones are errors, so a typo is never silently ignored.
 */
public final class CommandLineArguments {

    private final List<String> words;
    private final Map<String, String> options;

    private CommandLineArguments(List<String> words, Map<String, String> options) {
        this.words = List.copyOf(words);
        this.options = Map.copyOf(options);
    }

    /**
     * @throws IllegalArgumentException naming the offending argument
     */
    public static CommandLineArguments parse(String[] args, Set<String> valued, Set<String> flags) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                words.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            String value;
            if (flags.contains(name)) {
                if (equals >= 0) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                value = "true";
            } else if (valued.contains(name)) {
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (options.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        return new CommandLineArguments(words, options);
    }

    public List<String> words() {
        return words;
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public String required(String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /** An option as a whole number within bounds, or the default when absent. */
    public long number(String name, long defaultValue, long min, long max) {
        return option(name).map(text -> parseNumber("--" + name, text, min, max)).orElse(defaultValue);
    }

    /** A number from text (an option or an environment variable), named in the error. */
    public static long parseNumber(String what, String text, long min, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number from " + min + " to " + max
                    + ", got '" + text + "'");
        }
    }
}
