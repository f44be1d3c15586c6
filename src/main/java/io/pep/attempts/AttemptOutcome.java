package io.pep.attempts;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.pep.provisioning.FactoryToolExecutor;
import io.pep.provisioning.GatewayFailedProblem;

import io.pep.api.ApiProblem;
import io.pep.api.ProblemResponse;
import java.util.List;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.util.ObjectHelper;

/**
 * The one place that names how a {@code /v3/identity} call ended, from what the provisioning
 * route left behind: the HTTP status it answered, the failure it caught (by class name, so this
 * class depends on no provisioning internals) and the factory tool's exit code and output.
 *
 * <p>Seam for new failure kinds: when the provisioning routes gain distinct problems (gateway
 * silent, connection closed, a 504 for read timeouts…), add a constant, list it in {@link #ALL} and
 * map it in {@link #classify} — by a dedicated exception class name or status, never by wording.
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

    public static final List<String> ALL = List.of(OK, INVALID, REFUSED_BY_SITE, CONFLICT, GATEWAY_UNREACHABLE,
            GATEWAY_REFUSED, GATEWAY_SILENT, GATEWAY_CLOSED, GATEWAY_UNREADABLE, TOOL_TIMEOUT, TOOL_FAILED, TOOL_UNAVAILABLE, BUSY, STORE_UNAVAILABLE, ERROR);

    /** pep-inject's exit codes (PepInject.EXIT_*): 4 connection/timeout, 5 refused by FCC, 6 unreadable answer. */
    private static final int PEP_INJECT_CONNECTION = 4;
    private static final int PEP_INJECT_REFUSED = 5;

    private AttemptOutcome() {
    }

    /**
     * @param status   the HTTP status answered (200 when none was set)
     * @param failure  the exception the route caught, or null
     * @param exitCode the factory tool's exit code, or null when it did not run or ran in-process
     * @param toolOutput the tool's combined output, or null
     */
    public static String classify(int status, Throwable failure, Integer exitCode, String toolOutput) {
        return classify(status, failure, null, exitCode, toolOutput);
    }

    /**
     * As above, with {@code caught} the exception the route first caught when it answered with
     * another ({@code failure}, e.g. a problem without its cause): both chains are evidence.
     */
    public static String classify(int status, Throwable failure, Throwable caught, Integer exitCode, String toolOutput) {
        if (caught != null && caught != failure) {
            failure = new Evidence(failure, caught);
        }
        if (status < 300) {
            return OK;
        }
        if (status == 400) {
            return INVALID;
        }
        if (status == 403) {
            return REFUSED_BY_SITE;
        }
        if (status == 409) {
            return CONFLICT;
        }
        if (causedBy(failure, FactoryToolExecutor.FactoryToolTimeoutException.class)) {
            return TOOL_TIMEOUT;
        }
        if (status == 503) {
            if (isDatabaseDown(failure)) {
                return STORE_UNAVAILABLE;
            }
            if (causedBy(failure, ExecException.class)) {
                return TOOL_UNAVAILABLE;
            }
            ApiProblem problem = ProblemResponse.find(failure, ApiProblem.class);
            return problem != null && problem.getRetryAfterSeconds() != null ? BUSY : TOOL_UNAVAILABLE;
        }
        // the provisioning route named the gateway's failure (both modes: docs/gateway-errors.md)
        GatewayFailedProblem gateway = ProblemResponse.find(failure, GatewayFailedProblem.class);
        if (gateway == null && failure instanceof Evidence evidence) {
            gateway = ProblemResponse.find(evidence.caught, GatewayFailedProblem.class);
        }
        if (gateway != null) {
            return gateway.kind().label();
        }
        // pep's in-process injector says where it failed
        Throwable injection = byName(failure, "io.pep.injector.InjectionException");
        if (injection instanceof io.pep.injector.InjectionException e) {
            return switch (e.failure()) {
                case CONNECTION -> GATEWAY_UNREACHABLE;
                case REFUSED -> GATEWAY_REFUSED;
                case PROTOCOL -> TOOL_FAILED;
            };
        }
        if (toolOutput != null && (toolOutput.contains("FCC ReturnStatus:") || toolOutput.contains("FCC frame status:"))) {
            return GATEWAY_REFUSED;
        }
        if (exitCode != null && toolOutput != null && toolOutput.contains("error: ")) {
            if (exitCode == PEP_INJECT_CONNECTION) {
                return GATEWAY_UNREACHABLE;
            }
            if (exitCode == PEP_INJECT_REFUSED) {
                return GATEWAY_REFUSED;
            }
        }
        if (status == 504) {
            return TOOL_TIMEOUT;
        }
        if (exitCode != null || byName(failure, "io.pep.injector.") != null) {
            return TOOL_FAILED;
        }
        if (status == 500 && ProblemResponse.find(failure, ApiProblem.class) != null) {
            return TOOL_FAILED; // the tool finished without a usable enrollment id
        }
        return ERROR;
    }

    static boolean isDatabaseDown(Throwable failure) {
        return causedBy(failure, MongoTimeoutException.class) || causedBy(failure, MongoSocketException.class)
                || byName(failure, "com.mongodb.MongoSocket") != null;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        if (failure instanceof Evidence evidence && evidence.caught != null && causedBy(evidence.caught, type)) {
            return true;
        }
        return ObjectHelper.getException(type, failure) != null;
    }

    /** The first throwable in the chain whose class name starts with {@code prefix}. */
    private static Throwable byName(Throwable failure, String prefix) {
        if (failure instanceof Evidence evidence && evidence.caught != null) {
            Throwable found = byName(evidence.caught, prefix);
            if (found != null) {
                return found;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith(prefix)) {
                return t;
            }
        }
        return null;
    }

    /** Both chains in one: the answered failure as cause, then the first caught exception as its suppressed. */
    private static final class Evidence extends RuntimeException {
        Evidence(Throwable answered, Throwable caught) {
            super(null, answered != null ? answered : caught, false, false);
            this.caught = answered != null ? caught : null;
        }

        final transient Throwable caught;
    }
}
