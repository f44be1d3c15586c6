package io.pep.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pep.provisioning.FactoryToolExecutor;
import io.pep.provisioning.ToolSlots;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * pep's own meters (Prometheus names in brackets): provisionings by outcome
 * ({@code pep_provisionings_total}), their duration ({@code pep_provisioning_duration_seconds}
 * histogram), FCC warnings ({@code pep_fcc_warnings_total}), tool slots in use / queued
 * ({@code pep_tool_slots_in_use}, {@code pep_tool_slots_queued}, {@code pep_tool_slots_capacity})
 * attempts the log had to drop ({@code pep_attempts_dropped_total}) and processes a tool run left
 * behind that pep ended ({@code pep_tool_leftover_processes_total}).
 */
public class ProvisioningMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> byOutcome = new ConcurrentHashMap<>();
    private final Timer duration;
    private final Counter attemptsDropped;
    private final Map<String, Counter> retiredByClass = new ConcurrentHashMap<>();
    /** Held here: Micrometer keeps only a weak reference to a function counter's object. */
    private final java.util.function.Supplier<io.pep.provisioning.FccWarnings> warnings;

    /** Held here for the same reason. */
    private final java.util.function.Supplier<FactoryToolExecutor> executor;

    public ProvisioningMetrics(MeterRegistry registry, java.util.function.Supplier<ToolSlots> slots,
            java.util.function.Supplier<io.pep.provisioning.FccWarnings> warnings,
            java.util.function.Supplier<FactoryToolExecutor> executor) {
        this.registry = registry;
        this.warnings = warnings;
        this.executor = executor;
        io.micrometer.core.instrument.FunctionCounter.builder("pep.tool.leftover.processes", executor,
                        e -> e.get() == null ? 0 : e.get().leftoversEnded())
                .description("Processes a factory tool run left running (detached or not) that pep ended with the run")
                .register(registry);
        this.duration = Timer.builder("pep.provisioning.duration")
                .description("Time from request to answer of GET /v3/identity, every outcome")
                // buckets a line cares about: a gateway takes seconds, a refusal milliseconds, a timeout a minute
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120))
                .register(registry);
        // read from the one place every warning is logged and counted, in exec and in-process mode alike
        io.micrometer.core.instrument.FunctionCounter.builder("pep.fcc.warnings", warnings,
                        w -> w.get() == null ? 0 : w.get().count())
                .description("WarningInfo lines FCC returned and configuration warnings met while provisioning")
                .register(registry);
        this.attemptsDropped = Counter.builder("pep.attempts.dropped")
                .description("Attempts not written to the attempt log because its queue was full or the store failed")
                .register(registry);
        // looked up when scraped: the slots are bound by another configuration class
        io.micrometer.core.instrument.Gauge.builder("pep.tool.slots.in.use", slots, s -> s.get() == null ? 0 : s.get().inUse())
                .description("Factory tool slots held by a running tool").strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("pep.tool.slots.queued", slots, s -> s.get() == null ? 0 : s.get().queued())
                .description("Provisionings waiting for a factory tool slot").strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("pep.tool.slots.capacity", slots, s -> s.get() == null ? 0 : s.get().capacity())
                .description("pep.tool.max-concurrent").strongReference(true).register(registry);
    }

    /**
     * Creates the counters of these outcomes at 0, so a rate() over one that has not moved yet is 0,
     * not absent. The attempt log names them (it classifies the outcomes; metrics only count them).
     */
    public void expectOutcomes(java.util.Collection<String> outcomes) {
        outcomes.forEach(this::counter);
    }

    public void provisioned(String outcome, long durationMs) {
        counter(outcome).increment();
        duration.record(Duration.ofMillis(Math.max(0, durationMs)));
    }

    /** Creates the retirement counters of these reason classes at 0 (see {@link #expectOutcomes}). */
    public void expectReasonClasses(java.util.Collection<String> reasonClasses) {
        reasonClasses.forEach(this::retiredCounter);
    }

    /** One identity retired (POST /v3/identities/retire answered 200), by its reason's class. */
    public void retired(String reasonClass) {
        retiredCounter(reasonClass).increment();
    }

    private Counter retiredCounter(String reasonClass) {
        return retiredByClass.computeIfAbsent(reasonClass, c -> Counter.builder("pep.identities.retired")
                .description("Identities retired so their serial can be provisioned again (rework), by reason class")
                .tag("reason_class", c).register(registry));
    }

    public void attemptDropped() {
        attemptsDropped.increment();
    }

    private Counter counter(String outcome) {
        return byOutcome.computeIfAbsent(outcome, o -> Counter.builder("pep.provisionings")
                .description("GET /v3/identity answers by outcome").tag("outcome", o).register(registry));
    }
}
