package io.pep.api;

import io.netty.channel.EventLoop;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.WorkerPool;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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
 * <p>How: Camel's platform-http consumer runs each request with {@code vertx.executeBlocking}, which
 * uses the worker pool of the current Vert.x context. A provisioning request is handed on to the
 * Camel route inside a context on the same event-loop thread whose worker pool is this lane's.
 */
public class ProvisioningLane {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningLane.class);

    private final Set<String> paths;
    private final int capacity;
    private final int retryAfterSeconds;
    private final VertxInternal vertx;
    private final WorkerPool workerPool;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Map<EventLoop, ContextInternal> contexts = new ConcurrentHashMap<>();

    /** {@code threads} runs the requests; its size should be {@code capacity}. */
    public ProvisioningLane(Set<String> paths, int capacity, int retryAfterSeconds, VertxInternal vertx,
            ExecutorService threads) {
        this.paths = paths;
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
        if (inProgress.incrementAndGet() > capacity) {
            inProgress.decrementAndGet();
            LOG.warn("503 {}: {} provisioning requests already in progress", ctx.normalizedPath(), capacity);
            HttpEdge.answer(ctx.response(), 503, "pep is busy: " + capacity + " provisioning requests are in progress;"
                    + " nothing was recorded. Retry in " + retryAfterSeconds + " s.", String.valueOf(retryAfterSeconds));
            return;
        }
        ctx.addEndHandler(done -> inProgress.decrementAndGet());
        EventLoop loop = ((ContextInternal) ctx.vertx().getOrCreateContext()).nettyEventLoop();
        contexts.computeIfAbsent(loop, l -> vertx.createEventLoopContext(l, workerPool, ProvisioningLane.class.getClassLoader()))
                .dispatch(ctx, RoutingContext::next);
    }

    /** Provisioning requests in progress now. */
    public int inProgress() {
        return inProgress.get();
    }

    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
