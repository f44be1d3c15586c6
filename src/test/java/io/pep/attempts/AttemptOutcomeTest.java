package io.pep.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import io.pep.identity.ProvisioningRefused;
import io.pep.identity.ProvisioningUnavailable;
import io.pep.injector.GatewayFailure;
import io.pep.injector.InjectionException;
import io.pep.provisioning.FactoryToolOutcome;
import io.pep.provisioning.FccWarnings;
import io.pep.provisioning.GatewayFailedProblem;
import io.pep.provisioning.IdentityRequest;
import io.pep.provisioning.ProvisioningBusy;
import io.pep.provisioning.SerialInUse;
import java.util.List;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.language.bean.RuntimeBeanExpressionException;
import org.junit.jupiter.api.Test;

/**
 * How an attempt is named, from the failures the provisioning code really raises: pep-inject's and
 * ft_demo's output read by {@link FactoryToolOutcome} (exec mode), the in-process injector's
 * {@link InjectionException} explained by it, and the refusals of the other steps.
 */
class AttemptOutcomeTest {

    private static final IdentityRequest REQUEST = new IdentityRequest.Validator(new IdentityRequest.Defaults(
            "https://api", "https://gw", "hw", "00", "01", "production"))
            .validate(QueryParameters.parse("serialNumber=S&ip=10.0.0.9&port=7777"));

    private final FactoryToolOutcome tool = new FactoryToolOutcome(new FccWarnings());

    /** The outcome of an exec run that exited with {@code exit} after printing {@code output}. */
    private String execRun(int exit, String output) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> tool.enrollmentId(REQUEST, output, exit));
        return AttemptOutcome.classify(500, failure);
    }

    @Test
    void pepInjectFailuresByTheKindItPrints() {
        assertEquals("gateway-unreachable", execRun(4, "Injecting S (endpoint S) to 10.0.0.9:7777\n"
                + "pep-inject failure: gateway-unreachable\n"
                + "error: cannot connect to FCC at 10.0.0.9:7777: Connection refused\n"));
        assertEquals("gateway-refused", execRun(5, "Injecting S (endpoint S) to 10.0.0.9:7777\n"
                + "FCC ReturnStatus: 29 FIRST_TO_CLAIM_NOT_ALLOWED\nFCC InfoMessage: first to claim not allowed\n"
                + "pep-inject failure: gateway-refused\nerror: FCC at 10.0.0.9:7777 refused the bundle\n"));
        assertEquals("gateway-unreadable", execRun(6, "pep-inject failure: gateway-unreadable\nerror: unreadable answer\n"));
        assertEquals("gateway-closed", execRun(8, "pep-inject failure: gateway-closed\nerror: closed\n"));
        assertEquals("gateway-silent", AttemptOutcome.classify(504, assertThrows(RuntimeException.class,
                () -> tool.enrollmentId(REQUEST, "pep-inject failure: gateway-silent\nerror: no answer\n", 7))));
    }

    @Test
    void theGatewaysReturnStatusTravelsOnTheFailure() {
        GatewayFailedProblem refused = assertThrows(GatewayFailedProblem.class, () -> tool.enrollmentId(REQUEST,
                "FCC ReturnStatus: 29 FIRST_TO_CLAIM_NOT_ALLOWED\nFCC InfoMessage: first to claim not allowed\n"
                        + "pep-inject failure: gateway-refused\nerror: refused\n", 5));
        assertEquals(29, refused.returnStatus());
        assertEquals("first to claim not allowed", refused.infoMessage());
        GatewayFailedProblem unreachable = assertThrows(GatewayFailedProblem.class, () -> tool.enrollmentId(REQUEST,
                "pep-inject failure: gateway-unreachable\nerror: Connection refused\n", 4));
        assertEquals(-1, unreachable.returnStatus(), "FCC never answered");
    }

    @Test
    void vendorToolFailures() {
        assertEquals("gateway-refused", execRun(1, "{'SchemeVersion': '0.0.1', 'ReturnStatus': 29,"
                + " 'InfoMessage': 'first to claim not allowed'}\n"), "ft_demo printing FCC's answer");
        assertEquals("gateway-unreachable", execRun(1, "ConnectionRefusedError: [Errno 111] Connection refused\n"));
        assertEquals("tool-failed", execRun(1, "Traceback (most recent call last):\n"), "ft_demo's own failure");
        assertEquals("tool-failed", execRun(0, "all done, nothing to see\n"), "exit 0 without an enrollment id");
    }

    @Test
    void inProcessInjectorFailuresAsExplained() {
        for (GatewayFailure kind : GatewayFailure.values()) {
            Exception explained = tool.explain(REQUEST, new RuntimeBeanExpressionException(null, "inProcessInjector",
                    "inject", new InjectionException(kind, "it failed", -1, kind == GatewayFailure.REFUSED ? 14 : -1,
                            "Certificate CN attribute invalid", List.of(), null)));
            assertEquals(kind.label(), AttemptOutcome.classify(kind == GatewayFailure.SILENT ? 504 : 500, explained));
        }
    }

    @Test
    void refusalsOfTheOtherSteps() {
        assertEquals("ok", AttemptOutcome.classify(200, null));
        assertEquals("invalid", AttemptOutcome.classify(400, new InvalidRequest("Invalid request: x")));
        assertEquals("invalid", AttemptOutcome.classify(400, new RuntimeBeanExpressionException(null, "identityRequests",
                "validate", new InvalidRequest("Invalid request: x"))), "as a bean called in an expression throws it");
        assertEquals("refused-by-site", AttemptOutcome.classify(403, new ProvisioningRefused("MES says no")));
        assertEquals("conflict", AttemptOutcome.classify(409, new SerialInUse("S")));
        assertEquals("busy", AttemptOutcome.classify(503, new ProvisioningBusy(10)));
        assertEquals("busy", AttemptOutcome.classify(503, new ProvisioningUnavailable("MES down")),
                "a site hook that cannot decide now");
        assertEquals("tool-unavailable", AttemptOutcome.classify(503,
                tool.explain(REQUEST, new ExecException("Unable to execute command", null, null, -1, null))));
        assertEquals("store-unavailable", AttemptOutcome.classify(503,
                new org.apache.camel.component.mongodb.CamelMongoDbException(new com.mongodb.MongoTimeoutException("no server"))));
        assertEquals("error", AttemptOutcome.classify(500, new IllegalStateException("bug")));
    }

    @Test
    void explainKeepsWhatWasFirstCaughtAsTheCause() {
        InjectionException caught = new InjectionException(GatewayFailure.UNREACHABLE, "connect refused", null);
        Exception explained = tool.explain(REQUEST, caught);
        assertInstanceOf(GatewayFailedProblem.class, explained);
        assertEquals(caught, explained.getCause());
    }
}
