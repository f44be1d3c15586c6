package io.pep.provisioning;

import io.pep.api.ApiProblem;
import io.pep.injector.InjectionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /** The enrollment id of a finished run; throws the problem to answer for any other outcome. */
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
                    .orElseGet(() -> failed(request, "the factory tool exited with code " + exit));
        }
        return EnrollmentId.findInToolOutput(combined).orElseThrow(() ->
                failed(request, "the factory tool finished but printed no valid enrollment id"));
    }

    /** The enrollment id of an in-process injection, its warnings logged and counted first. */
    public String injected(IdentityRequest request, InProcessInjection injection) {
        injection.configWarnings().forEach(w -> warnings.record(request.getSerialNumber(), "configuration", w));
        injection.fccWarnings().forEach(w -> warnings.record(request.getSerialNumber(), "FCC", w));
        return injection.enrollmentId();
    }

    /**
     * What the client should be told about a failed provisioning attempt: a problem already
     * decided, the gateway's failure in-process, a tool timeout (504), or a store failure as is.
     */
    public Throwable explain(IdentityRequest request, Throwable caught) {
        if (ObjectHelper.getException(ApiProblem.class, caught) != null) {
            return caught;
        }
        Throwable timeout = ObjectHelper.getException(FactoryToolExecutor.FactoryToolTimeoutException.class, caught);
        if (timeout != null) {
            return new ApiProblem(504, "Provisioning of '" + request.getSerialNumber() + "' failed: "
                    + timeout.getMessage() + " (gateway " + GatewayProblem.peer(request) + "). pep's log has the tool's"
                    + " output." + GatewayProblem.RETRY, null, caught);
        }
        if (ObjectHelper.getException(FactoryToolExecutor.FactoryToolStoppedException.class, caught) != null) {
            return new ApiProblem(503, "Provisioning of '" + request.getSerialNumber() + "' was interrupted: pep is"
                    + " shutting down." + GatewayProblem.RETRY, 5, caught);
        }
        if (ObjectHelper.getException(ExecException.class, caught) != null) {
            LOG.error("The factory tool could not be started", caught);
            return new ApiProblem(503, "The factory tool could not be started (see pep's log); nothing was recorded.",
                    null, caught);
        }
        InjectionException gateway = ObjectHelper.getException(InjectionException.class, caught);
        if (gateway != null) {
            LOG.warn("In-process injection of '{}' failed: {}", request.getSerialNumber(), gateway.getMessage());
            return GatewayProblem.of(request, gateway.kind(), gateway.getMessage(), gateway.returnStatus(),
                    gateway.fccMessage(), gateway.frameStatus(), gateway.warnings(), caught);
        }
        Throwable injection = injectionFailure(caught);
        if (injection != null) {
            LOG.warn("In-process injection of '{}' failed: {}", request.getSerialNumber(), injection.getMessage());
            return failed(request, injection.getMessage());
        }
        return caught;
    }

    /** A failure of pep's in-process injector (its exceptions live in io.pep.injector). */
    private static Throwable injectionFailure(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("io.pep.injector.")) {
                return t;
            }
        }
        return null;
    }

    /** A failure pep cannot attribute to the gateway: 500, as the original answered. */
    private static ApiProblem failed(IdentityRequest request, String what) {
        return new ApiProblem(500, "Provisioning of '" + request.getSerialNumber() + "' failed: "
                + GatewayProblem.clean(what) + " (gateway " + GatewayProblem.peer(request) + "). pep's log has the"
                + " tool's output." + GatewayProblem.RETRY);
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
