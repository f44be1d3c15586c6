package io.pep.api;

import io.netty.channel.EventLoop;
import io.pep.identity.InvalidRequest;
import io.pep.identity.QueryParameters;
import io.pep.provisioning.SerialInUse;
import io.pep.provisioning.SerialsInFlight;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.WorkerPool;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning requests run on their own bounded thread pool, apart from reads, docs and every
 * other request. A provisioning request blocks its thread for as long as it waits for a tool slot
 * and its gateway answers: on the shared worker pool, a few dozen silent gateways would leave no
 * thread to answer {@code /v3/enrollment-id}. At most {@code capacity} provisioning requests are
 * in progress; one more is refused at once with 503 + {@code Retry-After}, nothing written.
 *
 * <p>A 503 promises that the serial is free to retry, so a request over the cap whose serial is being
 * provisioned gets the route's 409 instead ({@link SerialsInFlight}); when a request for its serial is
 * in the lane but has not claimed it yet (a burst of duplicates arriving together), it waits, holding
 * no thread, up to {@link #UNDECIDED_WAIT_MS} for that request to claim the serial (409) or leave.
 *
 * <p>How: Camel's platform-http consumer runs each request with {@code vertx.executeBlocking}, which
 * uses the worker pool of the current Vert.x context. A provisioning request is handed on to the
 * Camel route inside a context on the same event-loop thread whose worker pool is this lane's.
 */
public class ProvisioningLane {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningLane.class);
    /** How long a request over the cap waits for another request for its serial to claim it. */
    static final long UNDECIDED_WAIT_MS = 2000;
    private static final long UNDECIDED_POLL_MS = 5;
    private static final String WAITING_SINCE = "pep.lane.waitingSince";

    private final Set<String> paths;
    private final int capacity;
    private final int retryAfterSeconds;
    private final VertxInternal vertx;
    private final WorkerPool workerPool;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final SerialsInFlight serialsInFlight;
    /** Serial → requests for it in the lane now. */
    private final Map<String, Integer> serialsInLane = new ConcurrentHashMap<>();
    private final Map<EventLoop, ContextInternal> contexts = new ConcurrentHashMap<>();

    /** {@code threads} runs the requests; its size should be {@code capacity}. */
    public ProvisioningLane(Set<String> paths, int capacity, int retryAfterSeconds, VertxInternal vertx,
            ExecutorService threads, SerialsInFlight serialsInFlight) {
        this.paths = paths;
        this.serialsInFlight = serialsInFlight;
        this.capacity = capacity;
        this.retryAfterSeconds = retryAfterSeconds;
        this.vertx = vertx;
        this.workerPool = vertx.wrapWorkerPool(threads);
    }

    /** Router handler: a provisioning path goes on in this lane, any other request as it is. */
    public void dispatch(RoutingContext ctx) {
        if (!paths.contains(withoutTrailingSlash(ctx.normalizedPath()))) {
            ctx.next();
            return;
        }
        String serial = serialOf(ctx);
        if (inProgress.incrementAndGet() > capacity) {
            inProgress.decrementAndGet();
            overCapacity(ctx, serial);
            return;
        }
        if (serial != null) {
            serialsInLane.merge(serial, 1, Integer::sum);
        }
        ctx.addEndHandler(done -> {
            inProgress.decrementAndGet();
            if (serial != null) {
                serialsInLane.computeIfPresent(serial, (s, n) -> n > 1 ? n - 1 : null);
            }
        });
        EventLoop loop = ((ContextInternal) ctx.vertx().getOrCreateContext()).nettyEventLoop();
        contexts.computeIfAbsent(loop, l -> vertx.createEventLoopContext(l, workerPool, ProvisioningLane.class.getClassLoader()))
                .dispatch(ctx, RoutingContext::next);
    }

    /** Every thread is taken: 409 for a serial in progress, a short wait for an undecided one, else 503. */
    private void overCapacity(RoutingContext ctx, String serial) {
        if (serialsInFlight.isClaimed(serial)) {
            HttpEdge.answer(ctx.response(), 409, new SerialInUse(serial).getMessage(), null);
            return;
        }
        if (serial != null && serialsInLane.containsKey(serial)) {
            long now = System.nanoTime();
            Long since = ctx.get(WAITING_SINCE);
            if (since == null) {
                ctx.put(WAITING_SINCE, now);
                since = now;
            }
            if (now - since < TimeUnit.MILLISECONDS.toNanos(UNDECIDED_WAIT_MS) && !ctx.response().closed()) {
                ctx.vertx().setTimer(UNDECIDED_POLL_MS, id -> dispatch(ctx));
                return;
            }
        }
        LOG.warn("503 {}: {} provisioning requests already in progress", ctx.normalizedPath(), capacity);
        HttpEdge.answer(ctx.response(), 503, "pep is busy: " + capacity + " provisioning requests are in progress;"
                + " nothing was recorded. Retry in " + retryAfterSeconds + " s.", String.valueOf(retryAfterSeconds));
    }

    /** The request's serial as the route will read it; null when it has none or it is not readable (the route says why). */
    private static String serialOf(RoutingContext ctx) {
        try {
            return QueryParameters.parse(ctx.request().query()).single("serialNumber").orElse(null);
        } catch (InvalidRequest unreadable) {
            return null;
        }
    }

    /** Provisioning requests in progress now. */
    public int inProgress() {
        return inProgress.get();
    }

    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
