package io.pep.provisioning;

import io.pep.identity.EnrollmentId;
import io.pep.identity.InvalidRequest;
import io.pep.identity.ProvisioningRefused;
import io.pep.identity.TryAgainLater;
import io.pep.injector.BundleFormatException;
import io.pep.injector.FcuConfigException;
import io.pep.injector.FrameException;
import io.pep.injector.InjectionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a factory tool run produced and says what the client is told. Success is exit code
 * 0 <em>and</em> a well-formed {@code enrollment id: A-…} line. A failure the gateway caused
 * (unreachable, refused with its ReturnStatus and InfoMessage, silent, closed, unreadable) is
 * answered the same way in exec and in-process mode ({@link GatewayProblem}); the tool's whole
 * output goes to pep's log (bounded). FCC's WarningInfo and configuration warnings are logged at
 * WARN with the serial and counted ({@link FccWarnings}).
 */
public class FactoryToolOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(FactoryToolOutcome.class);
    static final int MAX_LOGGED_CHARS = 4000;

    private final FccWarnings warnings;

    public FactoryToolOutcome(FccWarnings warnings) {
        this.warnings = warnings;
    }

    /** The tool's combined output (stdout, then stderr): the enrollment id, FCC's status, the attempt log read it. */
    public String output(ExecResult result) {
        return read(result.getStdout()) + read(result.getStderr());
    }

    /** The enrollment id of a finished run; throws the failure to answer for any other outcome. */
    public String enrollmentId(IdentityRequest request, String combined, int exit) {
        LOG.info("Factory tool for serial '{}' exited with {}; output:\n{}", request.getSerialNumber(), exit,
                bounded(combined));
        FactoryToolReport report = FactoryToolReport.parse(combined);
        report.configWarnings().forEach(w -> warnings.record(request.getSerialNumber(), "configuration", w));
        report.fccWarnings().forEach(w -> warnings.record(request.getSerialNumber(), "FCC", w));
        if (exit != 0) {
            throw report.kind()
                    .<RuntimeException>map(kind -> GatewayProblem.of(request, kind, report.error(), report.returnStatus(),
                            report.infoMessage(), report.frameStatus(), report.fccWarnings(), null))
                    .orElseGet(() -> failed(request, "the factory tool exited with code " + exit, null));
        }
        return EnrollmentId.findInToolOutput(combined).orElseThrow(() ->
                failed(request, "the factory tool finished but printed no valid enrollment id", null));
    }

    /** The enrollment id of an in-process injection, its warnings logged and counted first. */
    public String injected(IdentityRequest request, InProcessInjection injection) {
        injection.configWarnings().forEach(w -> warnings.record(request.getSerialNumber(), "configuration", w));
        injection.fccWarnings().forEach(w -> warnings.record(request.getSerialNumber(), "FCC", w));
        return injection.enrollmentId();
    }

    /**
     * What the client should be told about a failed provisioning attempt: a failure already put
     * into words (unwrapped from Camel's bean call), the gateway's failure in-process, a tool timeout,
     * a shutdown, a tool that could not start, or a store failure as is. The first failure is kept
     * as the cause: the attempt log reads both from one chain.
     */
    public Exception explain(IdentityRequest request, Exception caught) {
        for (Class<? extends RuntimeException> type : DECIDED) {
            RuntimeException decided = ObjectHelper.getException(type, caught);
            if (decided != null) {
                return decided;
            }
        }
        Throwable timeout = ObjectHelper.getException(FactoryToolExecutor.FactoryToolTimeoutException.class, caught);
        if (timeout != null) {
            return new ToolTimedOut("Provisioning of '" + request.getSerialNumber() + "' failed: "
                    + timeout.getMessage() + " (gateway " + GatewayProblem.peer(request) + "). pep's log has the tool's"
                    + " output." + GatewayProblem.RETRY, caught);
        }
        if (ObjectHelper.getException(FactoryToolExecutor.FactoryToolStoppedException.class, caught) != null) {
            return new ProvisioningInterrupted("Provisioning of '" + request.getSerialNumber() + "' was interrupted:"
                    + " pep is shutting down." + GatewayProblem.RETRY, caught);
        }
        if (ObjectHelper.getException(ExecException.class, caught) != null) {
            LOG.error("The factory tool could not be started", caught);
            return new ToolUnavailable("The factory tool could not be started (see pep's log); nothing was recorded.",
                    caught);
        }
        InjectionException gateway = ObjectHelper.getException(InjectionException.class, caught);
        if (gateway != null) {
            LOG.warn("In-process injection of '{}' failed: {}", request.getSerialNumber(), gateway.getMessage());
            return GatewayProblem.of(request, gateway.kind(), gateway.getMessage(), gateway.returnStatus(),
                    gateway.fccMessage(), gateway.frameStatus(), gateway.warnings(), caught);
        }
        for (Class<? extends Exception> type : INJECTOR_FAILURES) {
            Exception injection = ObjectHelper.getException(type, caught);
            if (injection != null) {
                LOG.warn("In-process injection of '{}' failed: {}", request.getSerialNumber(), injection.getMessage());
                return failed(request, injection.getMessage(), caught);
            }
        }
        return caught;
    }

    /**
     * Raises the failure {@link #explain} chose, once the route has released the reservation:
     * routes/errors.camel.yaml answers it.
     */
    public void fail(Exception failure) throws Exception {
        throw failure;
    }

    /** Failures already put into words for the client by the step that met them. */
    private static final List<Class<? extends RuntimeException>> DECIDED = List.of(ToolFailed.class,
            ToolTimedOut.class, ToolUnavailable.class, TryAgainLater.class, SerialInUse.class, InvalidRequest.class,
            ProvisioningRefused.class);

    /** What pep's in-process injector throws besides {@link InjectionException}. */
    private static final List<Class<? extends Exception>> INJECTOR_FAILURES = List.of(FcuConfigException.class,
            BundleFormatException.class, FrameException.class);

    /** A failure pep cannot attribute to the gateway, answered as the original answered it (SPEC §1). */
    private static ToolFailed failed(IdentityRequest request, String what, Throwable cause) {
        return new ToolFailed("Provisioning of '" + request.getSerialNumber() + "' failed: "
                + GatewayProblem.clean(what) + " (gateway " + GatewayProblem.peer(request) + "). pep's log has the"
                + " tool's output." + GatewayProblem.RETRY, cause);
    }

    private static String read(InputStream stream) {
        if (stream == null) {
            return "";
        }
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String bounded(String text) {
        return text.length() <= MAX_LOGGED_CHARS ? text
                : text.substring(0, MAX_LOGGED_CHARS) + "\n… (" + (text.length() - MAX_LOGGED_CHARS) + " more characters)";
    }
}
