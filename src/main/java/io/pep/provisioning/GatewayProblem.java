package io.pep.provisioning;

import io.pep.injector.FrameStatus;
import io.pep.injector.GatewayFailure;
import java.util.List;

/**
 * The answer for a gateway that failed a provisioning, the same in exec and in-process mode:
 * one line that names what happened in stable words (docs/gateway-errors.md lists them all),
 * FCC's ReturnStatus, InfoMessage and WarningInfo when it sent them, and what to check. The
 * "is the factory client running?" hint is given only when the gateway could not be reached.
 *
 * <p>A silent gateway is a {@link GatewaySilent} (answered like a tool timeout); every other kind
 * (unreachable, refused, closed, unreadable) a {@link GatewayFailedProblem}, answered as the
 * original answered every failed injection (SPEC §1: old factory scripts test for it; the body
 * says which). routes/errors.camel.yaml gives the statuses.
 */
public final class GatewayProblem {

    static final int MAX_TEXT = 400;
    static final String RETRY = " Nothing was recorded: the same serial can be retried.";

    private GatewayProblem() {
    }

    /**
     * @param detail      the tool's one-line description (used for kinds other than a refusal), may be null
     * @param returnStatus FCC's ReturnStatus, or -1
     * @param frameStatus  a non-zero frame status, or -1
     */
    public static GatewayFailedProblem of(IdentityRequest request, GatewayFailure kind, String detail, long returnStatus,
                                String infoMessage, long frameStatus, List<String> warnings, Throwable cause) {
        String peer = peer(request);
        String what;
        if (kind == GatewayFailure.REFUSED && returnStatus >= 0) {
            what = "gateway refused the bundle: ReturnStatus " + returnStatus + " " + clean(infoMessage)
                    + " (factory client at " + peer + ")";
        } else if (kind == GatewayFailure.REFUSED && frameStatus > 0) {
            what = "gateway refused the frame: frame status " + FrameStatus.describe(frameStatus)
                    + " (factory client at " + peer + ")";
        } else if (detail != null && !detail.isBlank()) {
            what = clean(detail);
        } else {
            what = generic(kind, peer);
        }
        StringBuilder message = new StringBuilder("Provisioning of '").append(request.getSerialNumber())
                .append("' failed: ").append(what.strip());
        if (warnings != null && !warnings.isEmpty()) {
            message.append(" (WarningInfo: ").append(clean(String.join(" | ", warnings))).append(')');
        }
        message.append(". ").append(advice(kind, peer)).append(RETRY);
        return kind == GatewayFailure.SILENT ? new GatewaySilent(message.toString(), cause)
                : new GatewayFailedProblem(message.toString(), kind, returnStatus, infoMessage, cause);
    }

    /** The hint the original server gave for every failure; pep gives it for unreachable gateways only. */
    static String runningHint(String peer) {
        return "Make sure the factory client (FCC, fcc-example) is running on the gateway at " + peer
                + " and reachable from pep.";
    }

    private static String advice(GatewayFailure kind, String peer) {
        return switch (kind) {
            case UNREACHABLE -> runningHint(peer);
            case REFUSED -> "The gateway's factory client checked the identity and refused it; docs/gateway-errors.md"
                    + " says what each ReturnStatus means.";
            case SILENT -> "The factory client took the connection but never answered; restart it on the gateway.";
            case CLOSED -> "Check that " + peer + " is the gateway's factory client and that nothing between"
                    + " (proxy, firewall) alters the traffic.";
            case UNREADABLE -> "Check that " + peer + " is a factory client speaking the FCC protocol.";
        };
    }

    private static String generic(GatewayFailure kind, String peer) {
        return switch (kind) {
            case UNREACHABLE -> "gateway unreachable: cannot connect to the factory client at " + peer;
            case REFUSED -> "gateway refused the bundle";
            case SILENT -> "gateway silent: the factory client at " + peer + " did not answer in time";
            case CLOSED -> "gateway closed the connection without answering (factory client at " + peer + ")";
            case UNREADABLE -> "gateway sent an unreadable answer (factory client at " + peer + ")";
        };
    }

    static String peer(IdentityRequest request) {
        String host = request.getIp().indexOf(':') >= 0 ? "[" + request.getIp() + "]" : request.getIp();
        return host + ":" + request.getPort();
    }

    /** One line, no control characters, bounded: text from a gateway or a tool goes into an HTTP body. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String line = text.strip().replaceAll("[\\r\\n]+", " / ").replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT) + "…";
    }
}
