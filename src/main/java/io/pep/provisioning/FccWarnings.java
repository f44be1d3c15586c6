package io.pep.provisioning;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings are never dropped: every WarningInfo line a gateway's FCC sent and every configuration
 * warning met while provisioning is logged at WARN with the serial and counted here (for metrics
 * and the attempt log to read later).
 */
public class FccWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(FccWarnings.class);

    private final AtomicLong count = new AtomicLong();

    /** Logs and counts one warning; {@code source} says who warned (FCC, configuration). */
    public void record(String serialNumber, String source, String warning) {
        count.incrementAndGet();
        LOG.warn("Gateway '{}': {} warning: {}", serialNumber, source, warning);
    }

    /** Warnings recorded since pep started. */
    public long count() {
        return count.get();
    }
}
