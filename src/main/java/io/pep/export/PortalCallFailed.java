package io.pep.export;

/**
 * The portal answered a call with an error status. {@link #isRetryable()} says whether pep tries
 * the same call again in this run (5xx, 429 — after {@code Retry-After} when the portal gave one
 * no longer than the configured back-off cap); the message is the operator's sentence.
 */
public class PortalCallFailed extends RuntimeException {

    private final int status;
    private final boolean retryable;
    /** When the portal asked to be called again (epoch ms), or 0 when it did not say. */
    private final long retryAt;

    public PortalCallFailed(String sentence, int status, boolean retryable, long retryAt) {
        super(sentence);
        this.status = status;
        this.retryable = retryable;
        this.retryAt = retryAt;
    }

    public int getStatus() {
        return status;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public long getRetryAt() {
        return retryAt;
    }
}
