package io.pep.attempts;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.pep.identity.InvalidRequest;
import io.pep.identity.ProvisioningRefused;
import io.pep.identity.TryAgainLater;
import io.pep.provisioning.GatewayFailedProblem;
import io.pep.provisioning.SerialInUse;
import io.pep.provisioning.ToolFailed;
import io.pep.provisioning.ToolTimedOut;
import io.pep.provisioning.ToolUnavailable;
import java.util.List;
import org.apache.camel.util.ObjectHelper;

/**
 * The one place that names how a {@code /v3/identity} call ended, from the HTTP status it was
 * answered with and the failure the provisioning route raised (the domain failures of
 * io.pep.identity and io.pep.provisioning; a gateway's failure carries its kind).
 *
 * <p>Seam for new failure kinds: add a domain failure, a constant here, list it in {@link #ALL},
 * map it in {@link #classify} by its class (never by wording), and give it a status in
 * routes/errors.camel.yaml.
 */
public final class AttemptOutcome {

    public static final String OK = "ok";
    public static final String INVALID = "invalid";
    public static final String REFUSED_BY_SITE = "refused-by-site";
    public static final String CONFLICT = "conflict";
    public static final String GATEWAY_UNREACHABLE = "gateway-unreachable";
    public static final String GATEWAY_REFUSED = "gateway-refused";
    public static final String GATEWAY_SILENT = "gateway-silent";
    public static final String GATEWAY_CLOSED = "gateway-closed";
    public static final String GATEWAY_UNREADABLE = "gateway-unreadable";
    public static final String TOOL_TIMEOUT = "tool-timeout";
    public static final String TOOL_FAILED = "tool-failed";
    public static final String TOOL_UNAVAILABLE = "tool-unavailable";
    public static final String BUSY = "busy";
    public static final String STORE_UNAVAILABLE = "store-unavailable";
    public static final String ERROR = "error";
    /** Not an answer to /v3/identity: a retirement (POST /v3/identities/retire) in the same log. */
    public static final String RETIRED = "retired";

    public static final List<String> ALL = List.of(OK, INVALID, REFUSED_BY_SITE, CONFLICT, GATEWAY_UNREACHABLE,
            GATEWAY_REFUSED, GATEWAY_SILENT, GATEWAY_CLOSED, GATEWAY_UNREADABLE, TOOL_TIMEOUT, TOOL_FAILED, TOOL_UNAVAILABLE, BUSY, STORE_UNAVAILABLE, ERROR);

    /**
     * The outcomes where the gateway or the factory tool failed: the success ratio weighs these
     * against the provisioned ones. A duplicate (409), a bad request (400), a busy pep (503) or a
     * site's refusal never reached a gateway and are counted on their own.
     */
    public static final List<String> GATEWAY_OR_TOOL_FAILURES = List.of(GATEWAY_UNREACHABLE, GATEWAY_REFUSED,
            GATEWAY_SILENT, GATEWAY_CLOSED, GATEWAY_UNREADABLE, TOOL_TIMEOUT, TOOL_FAILED, TOOL_UNAVAILABLE);

    /**
     * Requests pep refused before anything was tried: a duplicate (409), a bad request (400), a busy
     * pep (503). Not failures: the dashboard shows them apart, in a neutral colour.
     */
    public static final List<String> REFUSALS = List.of(CONFLICT, INVALID, BUSY);

    /** How the dashboard weighs an outcome: "ok", "failed" (gateway or tool), "refused" (see {@link #REFUSALS}) or "other". */
    public static String kind(String outcome) {
        if (OK.equals(outcome)) {
            return "ok";
        }
        if (GATEWAY_OR_TOOL_FAILURES.contains(outcome)) {
            return "failed";
        }
        return REFUSALS.contains(outcome) ? "refused" : "other";
    }

    /** What the attempt log's entries may say: every outcome of /v3/identity, and retirements. */
    public static final List<String> LOGGED = java.util.stream.Stream.concat(ALL.stream(), java.util.stream.Stream.of(RETIRED)).toList();

    private AttemptOutcome() {
    }

    /**
     * @param status  the HTTP status answered (200 when none was set)
     * @param failure the failure the route raised (its cause chain holds what was first caught), or null
     */
    public static String classify(int status, Throwable failure) {
        if (status < 300) {
            return OK;
        }
        if (has(failure, InvalidRequest.class)) {
            return INVALID;
        }
        if (has(failure, ProvisioningRefused.class)) {
            return REFUSED_BY_SITE;
        }
        if (has(failure, SerialInUse.class)) {
            return CONFLICT;
        }
        // the gateway's failure, named the same in exec and in-process mode (docs/gateway-errors.md)
        GatewayFailedProblem gateway = ObjectHelper.getException(GatewayFailedProblem.class, failure);
        if (gateway != null) {
            return gateway.kind().label();
        }
        if (has(failure, ToolTimedOut.class)) {
            return TOOL_TIMEOUT;
        }
        if (has(failure, ToolFailed.class)) {
            return TOOL_FAILED;
        }
        if (has(failure, ToolUnavailable.class)) {
            return TOOL_UNAVAILABLE;
        }
        if (has(failure, TryAgainLater.class)) {
            return BUSY;
        }
        if (isDatabaseDown(failure)) {
            return STORE_UNAVAILABLE;
        }
        // a refusal no domain failure names (a site route that answered by itself)
        return switch (status) {
            case 400 -> INVALID;
            case 403 -> REFUSED_BY_SITE;
            case 409 -> CONFLICT;
            default -> ERROR;
        };
    }

    /** The store types routes/errors.camel.yaml answers with "The database is unavailable right now". */
    static boolean isDatabaseDown(Throwable failure) {
        return has(failure, MongoTimeoutException.class) || has(failure, MongoSocketException.class)
                || has(failure, MongoNotPrimaryException.class) || has(failure, MongoNodeIsRecoveringException.class);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return ObjectHelper.getException(type, failure) != null;
    }
}
