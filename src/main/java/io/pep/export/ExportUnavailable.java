package io.pep.export;

/**
 * An export asked for over HTTP that pep cannot run or finish now: pep is stopping (the sentence says
 * what became of the run), or the run was not recorded in time. Asking again later helps.
 */
public class ExportUnavailable extends RuntimeException {

    static final int RETRY_AFTER_SECONDS = 10;

    public ExportUnavailable(String message) {
        super(message);
    }

    /** Seconds after which asking again may succeed. */
    public int getRetryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
