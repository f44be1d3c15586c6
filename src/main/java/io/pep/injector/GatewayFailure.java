package io.pep.injector;

import java.util.Optional;

/**
 * What went wrong between the factory tool and the gateway's factory client (FCC), as a gateway
 * engineer needs to know it: a finer cut than {@link InjectionException.Failure}. Each kind has
 * its own {@code pep-inject} exit code, so pep tells them apart in exec mode as in-process
 * (docs/gateway-errors.md lists the answers).
 */
public enum GatewayFailure {
    /** No TCP connection: refused, or no answer to the connect within the connect timeout. */
    UNREACHABLE(4, "gateway-unreachable"),
    /** FCC answered and refused: a non-zero ReturnStatus, or a non-zero frame status. */
    REFUSED(5, "gateway-refused"),
    /** FCC answered something that is not a readable frame or response message. */
    UNREADABLE(6, "gateway-unreadable"),
    /** Connected and sent, but no answer within the read timeout. */
    SILENT(7, "gateway-silent"),
    /** FCC closed the connection before answering (the real FCC does so on a wrong SHA-256). */
    CLOSED(8, "gateway-closed");

    private final int exitCode;
    private final String label;

    GatewayFailure(int exitCode, String label) {
        this.exitCode = exitCode;
        this.label = label;
    }

    /** pep-inject's exit code for this kind. */
    public int exitCode() {
        return exitCode;
    }

    /** The stable word pep-inject prints on its {@code pep-inject failure: } line. */
    public String label() {
        return label;
    }

    public static Optional<GatewayFailure> ofExitCode(int exitCode) {
        for (GatewayFailure failure : values()) {
            if (failure.exitCode == exitCode) {
                return Optional.of(failure);
            }
        }
        return Optional.empty();
    }
}
