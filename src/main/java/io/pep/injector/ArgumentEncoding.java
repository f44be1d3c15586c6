package io.pep.injector;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Process arguments are bytes; Java turns strings into them (and back) with a platform charset
 * taken from the locale. Without a UTF-8 locale (LANG/LC_ALL unset, as under systemd or in a bare
 * container) that charset is ASCII and a serial like {@code GW-Ünï-✓-08} silently becomes
 * {@code GW-?n?-?-08}. These checks make such a loss an error instead of a different name.
 *
 * <p>Seen here: Java 17 encodes arguments with the default charset ({@code file.encoding}, so
 * {@code -Dfile.encoding=UTF-8} helps); Java 18+ with {@code sun.jnu.encoding}, which only a
 * UTF-8 locale sets ({@code -Dsun.jnu.encoding} is ignored). Both decode their own arguments
 * with {@code sun.jnu.encoding}.
 */
public final class ArgumentEncoding {

    private ArgumentEncoding() {
    }

    /** The charset this JVM encodes a child process's arguments with. */
    public static Charset forChildArguments() {
        if (Runtime.version().feature() <= 17) {
            return Charset.defaultCharset();
        }
        return jnuCharset();
    }

    /** The charset this JVM decoded its own command line with. */
    public static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    /**
     * Null when every argument can be handed to a child process unchanged, else why not (one
     * line, naming the charset and the fix).
     */
    public static String unencodable(List<String> arguments) {
        Charset charset = forChildArguments();
        for (String argument : arguments) {
            if (!charset.newEncoder().canEncode(argument)) {
                return "pep cannot pass it to the factory tool unchanged: this pep runs without a UTF-8 locale"
                        + " (process arguments are encoded as " + charset.name() + ");"
                        + " operators: start pep with LANG=C.UTF-8 (bin/pep and the Docker image do)";
            }
        }
        return null;
    }

    /**
     * For a process reading its own arguments: null when they can have arrived intact, else why
     * not. With a non-UTF-8 {@code sun.jnu.encoding}, any non-ASCII character (or U+FFFD, what
     * undecodable bytes become) means the bytes were not read as sent.
     */
    public static String lossyArgument(List<String> arguments) {
        Charset charset = jnuCharset();
        if (charset.equals(StandardCharsets.UTF_8)) {
            return null;
        }
        for (String argument : arguments) {
            if (argument.chars().anyMatch(c -> c > 0x7F)) {
                return "the argument '" + argument + "' has non-ASCII characters this JVM did not read as UTF-8"
                        + " (sun.jnu.encoding=" + charset.name() + "): run pep-inject with a UTF-8 locale, e.g."
                        + " LC_ALL=C.UTF-8 (bin/pep-inject sets it)";
            }
        }
        return null;
    }
}
