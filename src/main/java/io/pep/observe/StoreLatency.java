package io.pep.observe;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandSucceededEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times every command pep's MongoDB client sends ({@code pep_store_operation_seconds{command,status}}).
 * The client is built before the meter registry is bound, so the registry is looked up on first use.
 */
public class StoreLatency implements CommandListener {

    private static final java.time.Duration[] BUCKETS = {java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5),
            java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(50),
            java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(500),
            java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)};

    private final Supplier<MeterRegistry> registry;
    private volatile MeterRegistry resolved;

    public StoreLatency(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        record(event.getCommandName(), "ok", event.getElapsedTime(TimeUnit.NANOSECONDS));
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        record(event.getCommandName(), "failed", event.getElapsedTime(TimeUnit.NANOSECONDS));
    }

    private void record(String command, String status, long nanos) {
        MeterRegistry meters = resolved;
        if (meters == null) {
            meters = registry.get();
            if (meters == null) {
                return;
            }
            resolved = meters;
        }
        Timer.builder("pep.store.operation").description("MongoDB commands sent by pep")
                .tag("command", command).tag("status", status)
                .serviceLevelObjectives(BUCKETS).register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }
}
