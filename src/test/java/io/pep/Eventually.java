package io.pep;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way tests wait for something pep does on its own time (a reload, a heartbeat, a write
 * off the request path, a process ending): poll until it holds, with a deadline long enough for a
 * shared CI machine running other builds (a step of milliseconds on an idle machine can take
 * seconds there). Never a fixed sleep.
 *
 * <p>A condition that throws counts as "not yet": while Camel swaps a reloaded route, while a
 * process starts and refuses connections, a lookup can briefly fail. On timeout the assertion
 * names what was awaited and the last value (or exception) the condition gave.
 */
public final class Eventually {

    /** How long a test waits for what takes well under a second on an idle machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    /** How long a test waits for a pep JVM of its own to start answering. */
    public static final Duration START = Duration.ofSeconds(180);

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Eventually() {
    }

    /** Waits until {@code condition} is true, at most {@link #PATIENCE}. */
    public static void await(String what, Callable<Boolean> condition) {
        await(what, PATIENCE, condition);
    }

    public static void await(String what, Duration atMost, Callable<Boolean> condition) {
        await(what, atMost, condition, Boolean.TRUE::equals);
    }

    /** Polls {@code value} until {@code done} accepts it, at most {@link #PATIENCE}; returns that value. */
    public static <T> T await(String what, Callable<T> value, Predicate<? super T> done) {
        return await(what, PATIENCE, value, done);
    }

    public static <T> T await(String what, Duration atMost, Callable<T> value, Predicate<? super T> done) {
        AtomicReference<Object> last = new AtomicReference<>("nothing yet");
        Callable<T> watched = () -> {
            try {
                T seen = value.call();
                last.set(seen);
                return seen;
            } catch (Exception | AssertionError e) {
                last.set(e);
                throw e;
            }
        };
        try {
            return Awaitility.await(what).atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(INTERVAL).ignoreExceptions().until(watched, done);
        } catch (ConditionTimeoutException e) {
            Object seen = last.get();
            AssertionError failure = new AssertionError("not within " + atMost.toSeconds() + " s: " + what
                    + "; last seen: " + seen);
            if (seen instanceof Throwable cause) {
                failure.initCause(cause);
            }
            throw failure;
        }
    }
}
