package io.pep.identity;

/**
 * A request pep cannot serve right now, with nothing written: the client should simply ask again
 * after {@link #getRetryAfterSeconds()} seconds (pep busy, shutting down, a site's service down).
 */
public abstract class TryAgainLater extends RuntimeException {

    private final int retryAfterSeconds;

    protected TryAgainLater(String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which asking again may succeed. */
    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
