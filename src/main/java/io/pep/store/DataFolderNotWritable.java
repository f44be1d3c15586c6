package io.pep.store;

/**
 * pep's data folder does not take writes now (a full disk, a read-only folder): nothing was
 * changed; the client may ask again after {@link #getRetryAfterSeconds()} seconds, and pep serves
 * again by itself once the folder takes writes ({@link DataFolderWatch}).
 */
public class DataFolderNotWritable extends RuntimeException {

    private final int retryAfterSeconds;

    public DataFolderNotWritable(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
