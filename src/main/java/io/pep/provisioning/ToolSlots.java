package io.pep.provisioning;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps how many factory tool runs happen at once (each holds a TCP session to a gateway and,
 * for FCU, a Python process). A request over the cap waits a bounded time, then is refused
 * ({@link ProvisioningBusy}: try again later) instead of piling up.
 */
public class ToolSlots {

    private final Semaphore slots;
    private final int capacity;
    private final long maxWaitMs;
    private final int retryAfterSeconds;

    public ToolSlots(int maxConcurrent, long maxWaitMs) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("pep.tool.max-concurrent must be at least 1");
        }
        this.slots = new Semaphore(maxConcurrent, true);
        this.capacity = maxConcurrent;
        this.maxWaitMs = maxWaitMs;
        this.retryAfterSeconds = (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(maxWaitMs));
    }

    public void acquire() throws InterruptedException {
        if (!slots.tryAcquire(maxWaitMs, TimeUnit.MILLISECONDS)) {
            throw new ProvisioningBusy(retryAfterSeconds);
        }
    }

    public void release() {
        slots.release();
    }

    public int available() {
        return slots.availablePermits();
    }

    public int capacity() {
        return capacity;
    }

    /** Slots held by a running tool (for metrics). */
    public int inUse() {
        return capacity - slots.availablePermits();
    }

    /** Requests waiting for a slot (an estimate, for metrics). */
    public int queued() {
        return slots.getQueueLength();
    }
}
