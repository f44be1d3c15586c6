package io.pep.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pep.api.ApiProblem;
import org.junit.jupiter.api.Test;

/** The classification of exec-mode runs, from pep-inject's real exit codes and stderr lines. */
class AttemptOutcomeTest {

    private static final ApiProblem TOOL_500 = new ApiProblem(500, "Provisioning of 'S' failed: the factory tool exited");

    @Test
    void pepInjectExitCodesAndOutput() {
        assertEquals("gateway-unreachable", AttemptOutcome.classify(500, TOOL_500, 4,
                "Injecting S (endpoint S) to 10.0.0.9:7777\nerror: cannot connect to FCC at 10.0.0.9:7777: Connection refused\n"));
        assertEquals("gateway-refused", AttemptOutcome.classify(500, TOOL_500, 5,
                "error: FCC at 10.0.0.9:7777 refused the bundle\nFCC ReturnStatus: 29 FIRST_TO_CLAIM_NOT_ALLOWED\nFCC InfoMessage: x\n"));
        assertEquals("tool-failed", AttemptOutcome.classify(500, TOOL_500, 6, "error: unreadable answer\n"));
        assertEquals("tool-failed", AttemptOutcome.classify(500, TOOL_500, 1, "Traceback (most recent call last):\n"),
                "ft_demo's own failure");
        assertEquals("tool-failed", AttemptOutcome.classify(500, TOOL_500, 0, "all done, nothing to see\n"),
                "exit 0 without an enrollment id");
    }

    @Test
    void statusesAndFailures() {
        assertEquals("ok", AttemptOutcome.classify(200, null, 0, "enrollment id: A-…"));
        assertEquals("invalid", AttemptOutcome.classify(400, ApiProblem.badRequest("x"), null, null));
        assertEquals("refused-by-site", AttemptOutcome.classify(403, new ApiProblem(403, "MES says no"), null, null));
        assertEquals("conflict", AttemptOutcome.classify(409, null, null, null));
        assertEquals("busy", AttemptOutcome.classify(503, new ApiProblem(503, "busy", 10, null), null, null));
        assertEquals("tool-timeout", AttemptOutcome.classify(504, new ApiProblem(504, "read timeout"), null, null),
                "a 504 without the exec timeout (the in-process injector's read timeout, say)");
        assertEquals("store-unavailable", AttemptOutcome.classify(503,
                new com.mongodb.MongoTimeoutException("no server"), null, null));
        assertEquals("error", AttemptOutcome.classify(500, new IllegalStateException("bug"), null, null));
    }
}
