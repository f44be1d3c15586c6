package io.pep.provisioning;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance heartbeat's log: one WARN when it starts failing (the store is unreachable, say),
 * one INFO when it works again, nothing in between, as the heartbeat runs every few seconds and an
 * outage must not bury the log. Readiness and the store's metrics say the rest.
 */
public class HeartbeatLog {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLog.class);

    private final long intervalMs;
    private long failuresInARow;

    public HeartbeatLog(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** Heartbeats failed since the last one that worked. */
    public synchronized long failuresInARow() {
        return failuresInARow;
    }

    public synchronized void failed(Exception cause) {
        if (failuresInARow++ == 0) {
            LOG.warn("Instance heartbeat / journal replay failed ({}); trying again every {} ms, logged again when it works",
                    cause == null ? "no reason given" : cause.getMessage(), intervalMs);
        }
    }

    public synchronized void succeeded() {
        if (failuresInARow > 0) {
            failuresInARow = 0;
            LOG.info("Instance heartbeat / journal replay works again");
        }
    }
}
