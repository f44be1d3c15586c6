package io.pep.injector;

import java.util.List;

/**
 * An injection that did not end with FCC's ReturnStatus 0. {@link #kind()} says what failed and
 * so what a gateway engineer should check; {@link #frameStatus()} /
 * {@link #returnStatus()} carry FCC's codes when it sent any (-1 otherwise), {@link #fccMessage()}
 * its InfoMessage and {@link #warnings()} its WarningInfo lines. The message is one line that
 * starts with the kind's stable words (docs/gateway-errors.md).
 */
public class InjectionException extends Exception {

    private final GatewayFailure kind;
    private final long frameStatus;
    private final long returnStatus;
    private final String fccMessage;
    private final List<String> warnings;

    public InjectionException(GatewayFailure kind, String message, Throwable cause) {
        this(kind, message, -1, -1, null, List.of(), cause);
    }

    public InjectionException(GatewayFailure kind, String message, long frameStatus, long returnStatus,
                              String fccMessage, List<String> warnings, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.frameStatus = frameStatus;
        this.returnStatus = returnStatus;
        this.fccMessage = fccMessage;
        this.warnings = List.copyOf(warnings);
    }

    /** What went wrong: unreachable, silent, closed, refused, unreadable. */
    public GatewayFailure kind() {
        return kind;
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

    /** FCC's WarningInfo lines that came with a refusal (empty when none). */
    public List<String> warnings() {
        return warnings;
    }
}
