package io.pep.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the exports an operator asks for over HTTP ({@code POST /v3/exports/csv|upload}) on pep's own
 * bounded thread pool ({@code pep-export}, two threads per kind): never on Vert.x's event loop or
 * worker pool, so a run of any length holds no HTTP thread and trips no blocked-thread report. The
 * request is answered once the run is recorded (202 and its id), or once it ended when the client
 * asked to wait ({@code ?wait=}, at most {@code pep.export.max-wait} s).
 *
 * <p>When pep stops ({@link CamelEvent.CamelContextStoppingEvent}, before the HTTP routes stop), a
 * run still going gets {@code pep.export.stop-grace} ms to end by itself; then it is recorded as ended
 * ({@link ExportRuns#abandon}: its records go to the next run), its lease is freed, and a request
 * waiting for it is answered 503 saying so.
 */
public class ExportLauncher extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ExportLauncher.class);
    private static final Map<String, String> ROUTES = Map.of(ExportRuns.CSV, "direct:export-csv",
            ExportRuns.UPLOAD, "direct:export-upload");

    private final ExportRuns exportRuns;
    private final int maxWaitSeconds;
    private final long stopGraceMs;
    /** Per kind: what takes a run's records over after pep stopped it, in the operator's words. */
    private final Map<String, String> nextRun;
    /** The run of each kind this pep runs for a request; one at a time (the lease would refuse a second). */
    private final Map<String, ExportLaunch> inFlight = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private ExecutorService threads;
    private ProducerTemplate template;

    public ExportLauncher(ExportRuns exportRuns, int maxWaitSeconds, long stopGraceMs, Map<String, String> nextRun) {
        this.exportRuns = exportRuns;
        this.maxWaitSeconds = maxWaitSeconds;
        this.stopGraceMs = stopGraceMs;
        this.nextRun = nextRun;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    protected void doStart() throws Exception {
        stopping = false;
        // one run per kind (inFlight), but a run's thread is still on its last steps when the next run of
        // its kind may start: two threads per kind, so that a new run never finds them all taken
        threads = getCamelContext().getExecutorServiceManager().newThreadPool(this, "pep-export",
                new ThreadPoolProfileBuilder("pep-export").poolSize(ROUTES.size()).maxPoolSize(2 * ROUTES.size())
                        .maxQueueSize(0).rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
        template = getCamelContext().createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (threads != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(threads);
            threads = null;
        }
        if (template != null) {
            template.stop();
            template = null;
        }
    }

    /**
     * Starts a run of {@code kind} on the export threads and returns once it is recorded (or failed
     * to start: the failure is thrown here, e.g. {@link ExportBusy}).
     */
    public ExportLaunch launch(String kind, String mode) {
        if (stopping) {
            throw new ExportUnavailable("pep is stopping; no " + kind + " export was started. Ask again once pep is back.");
        }
        ExportLaunch launch = new ExportLaunch(kind);
        ExportLaunch other = inFlight.putIfAbsent(kind, launch);
        if (other != null) {
            ExportRun run = other.run();
            throw new ExportBusy(kind, run == null ? "starting" : run.getId());
        }
        ExecutorService pool = threads;
        try {
            pool.submit(() -> run(launch, mode));
        } catch (RejectedExecutionException | NullPointerException e) {
            inFlight.remove(kind, launch);
            // the threads refuse work once pep stops; otherwise every one of them is still finishing a run
            throw new ExportUnavailable(stopping || pool == null || pool.isShutdown()
                    ? "pep is stopping; no " + kind + " export was started. Ask again once pep is back."
                    : "Every " + kind + " export thread is still finishing an earlier run; no " + kind
                            + " export was started. Ask again in a few seconds (see GET /v3/exports).");
        }
        try {
            launch.recorded().get(maxWaitSeconds, TimeUnit.SECONDS);
            return launch;
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new ExportUnavailable("The " + kind + " export was not recorded within " + maxWaitSeconds
                    + " s (the store is slow or busy); it may still start: see GET /v3/exports.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExportUnavailable("pep is stopping; see GET /v3/exports for the " + kind + " export.");
        }
    }

    /**
     * The ended run when it ends within {@code seconds}; null while it is still going (the request is
     * answered 202). A failure that ended it without a run is thrown.
     */
    public ExportRun await(ExportLaunch launch, int seconds) {
        try {
            return seconds <= 0 ? launch.ended().getNow(null) : launch.ended().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            throw unwrap(e.getCause());
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The most a request may wait for its run ({@code pep.export.max-wait}), in seconds. */
    public int maxWaitSeconds() {
        return maxWaitSeconds;
    }

    private void run(ExportLaunch launch, String mode) {
        ExportRun run = null;
        Throwable failure = null;
        try {
            Exchange done = template.send(ROUTES.get(launch.kind()), exchange -> {
                exchange.setProperty("mode", mode);
                exchange.setProperty("launch", launch);
            });
            failure = done.getException();
            run = done.getProperty("run", ExportRun.class);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            inFlight.remove(launch.kind(), launch);
            boolean waitedFor = launch.ended().isDone();
            launch.ended(run, failure == null ? null : unwrap(failure));
            if (failure != null && run != null && !stopping && !waitedFor) {
                LOG.warn("Export run {} ended with an error: {}", run.getId(), Sentences.of(unwrap(failure)));
            }
        }
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            stopExports();
        }
    }

    /** pep is stopping: give each run the grace, then record it as ended and answer whoever waits for it. */
    void stopExports() {
        stopping = true;
        List<ExportLaunch> running = new ArrayList<>(inFlight.values());
        long deadline = System.currentTimeMillis() + stopGraceMs;
        for (ExportLaunch launch : running) {
            try {
                launch.ended().get(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // still running, or ended with a failure its waiter is told about
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ExportLaunch launch : running) {
            if (!launch.ended().isDone()) {
                stop(launch);
            }
        }
    }

    private void stop(ExportLaunch launch) {
        ExportRun run = launch.run();
        String next = nextRun.getOrDefault(launch.kind(), "the next run takes its records over");
        String sentence;
        if (run == null) {
            sentence = "pep is stopping; the " + launch.kind() + " export was stopped before it was recorded: nothing was"
                    + " claimed, " + next + ".";
        } else {
            try {
                String status = exportRuns.abandon(run, "pep stopped during the run; " + next);
                sentence = ExportRun.FINISHED.equals(status) ? null : "pep is stopping; export run " + run.getId()
                        + (ExportRun.ABANDONED.equals(status) ? " was abandoned: " : " ended " + status + ": ") + next + ".";
            } catch (RuntimeException e) {
                sentence = "pep is stopping; export run " + run.getId() + " could not be recorded as ended (" + Sentences.of(e)
                        + "): the next run settles it as abandoned, and " + next + ".";
            }
        }
        // the waiter is answered first; the run's thread is not interrupted (its store calls would fail
        // half-way): if it goes on, its own end finds the run ended and withdraws its file, and Camel's
        // shutdown waits for it within camel.main.shutdown-timeout
        if (sentence == null) {
            launch.ended(run, null);
        } else {
            launch.ended(null, new ExportUnavailable(sentence));
        }
    }

    /** The failure itself, not Camel's wrappers around a bean's exception. */
    private static RuntimeException unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CamelExecutionException || t instanceof RuntimeCamelException
                || t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException runtime ? runtime : new IllegalStateException(t.getMessage(), t);
    }
}
