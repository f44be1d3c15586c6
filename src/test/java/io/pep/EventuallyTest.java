package io.pep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The tests' poll helper: a condition that throws for a moment is retried, a timeout says what it last saw. */
class EventuallyTest {

    @Test
    void aConditionThatThrowsForAMomentIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        // like context.getRoute(id) answering null while Camel swaps the route
        Eventually.await("the route is back", () -> {
            String location = calls.incrementAndGet() < 3 ? null : "file:shadow.camel.yaml";
            return location.endsWith("shadow.camel.yaml");
        });
        assertEquals(3, calls.get());
    }

    @Test
    void theValueThatSatisfiedTheConditionIsReturned() {
        AtomicInteger counter = new AtomicInteger();
        assertEquals(4, Eventually.await("four", counter::incrementAndGet, n -> n >= 4));
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheLastValueOrException() {
        AssertionError value = assertThrows(AssertionError.class,
                () -> Eventually.await("the answer", Duration.ofMillis(200), () -> 41, n -> n == 42));
        assertTrue(value.getMessage().contains("the answer") && value.getMessage().endsWith("last seen: 41"),
                value.getMessage());

        AssertionError thrown = assertThrows(AssertionError.class,
                () -> Eventually.await("a route", Duration.ofMillis(200), () -> {
                    throw new IllegalStateException("no route yet");
                }));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        assertTrue(thrown.getMessage().contains("no route yet"), thrown.getMessage());
    }
}
