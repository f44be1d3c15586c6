package io.pep.injector;

/**
 * An injection that did not end with FCC's ReturnStatus 0. {@link #failure()} says where it
 * failed; {@link #frameStatus()} / {@link #returnStatus()} carry FCC's codes when it sent any
 * (-1 otherwise) and {@link #fccMessage()} its InfoMessage.
 */
public class InjectionException extends Exception {

    /** Where an injection failed. */
    public enum Failure {
        /** No TCP connection, a timeout, or the connection closed before FCC answered. */
        CONNECTION,
        /** FCC answered something pep cannot read. */
        PROTOCOL,
        /** FCC answered and refused: a non-zero frame status or ReturnStatus. */
        REFUSED
    }

    private final Failure failure;
    private final long frameStatus;
    private final long returnStatus;
    private final String fccMessage;

    public InjectionException(Failure failure, String message, Throwable cause) {
        this(failure, message, -1, -1, null, cause);
    }

    public InjectionException(Failure failure, String message, long frameStatus, long returnStatus,
                              String fccMessage, Throwable cause) {
        super(message, cause);
        this.failure = failure;
        this.frameStatus = frameStatus;
        this.returnStatus = returnStatus;
        this.fccMessage = fccMessage;
    }

    public Failure failure() {
        return failure;
    }

    /** The response frame's status word, or -1 when no frame arrived. */
    public long frameStatus() {
        return frameStatus;
    }

    /** FCC's ReturnStatus, or -1 when no response message arrived. */
    public long returnStatus() {
        return returnStatus;
    }

    /** FCC's InfoMessage, or null. */
    public String fccMessage() {
        return fccMessage;
    }
}
