package io.pep.provisioning;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a retirement's free-text reason is counted by ({@code pep.identities.reason-classes}):
 * a reason that begins with one of them as its first word ({@code "rma: customer return"},
 * {@code "board-swap U7 failed"}, any case) is of that class, any other is {@code other}. A bounded
 * list, so the metric's label never takes a value per reason.
 */
public final class ReasonClasses {

    public static final String OTHER = "other";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9-]*)");

    private final List<String> classes;

    /** {@code list}: comma-separated class names, each a lower-case letter or digit then up to 31 of [a-z0-9-]. */
    public ReasonClasses(String list) {
        this.classes = list == null || list.isBlank() ? List.of()
                : java.util.Arrays.stream(list.split(",")).map(String::strip).filter(c -> !c.isEmpty()).distinct().toList();
        for (String name : classes) {
            if (!NAME.matcher(name).matches() || name.equals(OTHER)) {
                throw new IllegalArgumentException("pep.identities.reason-classes: '" + name + "' is not a class name"
                        + " (a lower-case letter or digit, then up to 31 of a-z, 0-9 and '-'; not 'other', which"
                        + " counts every reason of no class)");
            }
        }
    }

    /** Every class a retirement can be counted in: the configured ones and {@code other}. */
    public List<String> all() {
        return java.util.stream.Stream.concat(classes.stream(), java.util.stream.Stream.of(OTHER)).toList();
    }

    public String of(String reason) {
        Matcher word = FIRST_WORD.matcher(reason);
        if (word.find()) {
            String first = word.group(1).toLowerCase(Locale.ROOT);
            if (classes.contains(first)) {
                return first;
            }
        }
        return OTHER;
    }
}
