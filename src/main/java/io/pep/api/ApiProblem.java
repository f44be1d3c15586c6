package io.pep.api;

/**
 * A request pep refuses or cannot serve, with the HTTP status and the one-line message the
 * client (a gateway script, an operator with curl) gets as a text/plain body.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final Integer retryAfterSeconds;

    public ApiProblem(int status, String message) {
        this(status, message, null, null);
    }

    public ApiProblem(int status, String message, Integer retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    public static ApiProblem notFound() {
        return new ApiProblem(404, "Not found!");
    }

    public int getStatus() {
        return status;
    }

    /** Seconds a client should wait before retrying (sent as {@code Retry-After}), or null. */
    public Integer getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
