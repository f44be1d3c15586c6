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
                .publishPercentileHistogram().register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }
}
