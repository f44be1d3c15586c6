package io.pep.provisioning;

import io.pep.api.ApiProblem;
import io.pep.api.ProblemResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a factory tool run produced. Success is exit code 0 <em>and</em> a well-formed
 * {@code enrollment id: A-…} line; the tool's output goes to pep's log (bounded), never to the
 * client, which gets a hint about what to check instead.
 */
public class FactoryToolOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(FactoryToolOutcome.class);
    static final int MAX_LOGGED_CHARS = 4000;

    /** The enrollment id of a finished run; throws a 500 problem for any other outcome. */
    public String enrollmentId(Exchange exchange) {
        IdentityRequest request = exchange.getProperty("request", IdentityRequest.class);
        ExecResult result = exchange.getIn().getBody(ExecResult.class);
        String stdout = read(result.getStdout());
        String stderr = read(result.getStderr());
        int exit = result.getExitValue();
        String combined = stdout + stderr;
        exchange.setProperty("toolOutput", FactoryToolOutcome.bounded(combined)); // the attempt log reads FCC's status from it
        LOG.info("Factory tool for serial '{}' exited with {}; output:\n{}", request.getSerialNumber(), exit,
                bounded(combined));
        if (exit != 0) {
            throw failed(request, "the factory tool exited with code " + exit);
        }
        return EnrollmentId.findInToolOutput(combined).orElseThrow(() ->
                failed(request, "the factory tool finished but printed no valid enrollment id"));
    }

    /**
     * What the client should be told about a failed provisioning attempt: the problem with the
     * hint the original server gave (check that FCC runs on ip:port), or a store failure as is.
     */
    public Throwable explain(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        IdentityRequest request = exchange.getProperty("request", IdentityRequest.class);
        if (ProblemResponse.find(caught, ApiProblem.class) != null) {
            return caught;
        }
        Throwable timeout = ProblemResponse.find(caught, FactoryToolExecutor.FactoryToolTimeoutException.class);
        if (timeout != null) {
            return new ApiProblem(504, "Provisioning of '" + request.getSerialNumber() + "' failed: "
                    + timeout.getMessage() + ". " + hint(request), null, caught);
        }
        if (ProblemResponse.find(caught, ExecException.class) != null) {
            LOG.error("The factory tool could not be started", caught);
            return new ApiProblem(503, "The factory tool could not be started (see pep's log); nothing was recorded.",
                    null, caught);
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

    private static ApiProblem failed(IdentityRequest request, String what) {
        return new ApiProblem(500, "Provisioning of '" + request.getSerialNumber() + "' failed: " + what + ". "
                + hint(request));
    }

    private static String hint(IdentityRequest request) {
        String host = request.getIp().indexOf(':') >= 0 ? "[" + request.getIp() + "]" : request.getIp();
        return "Make sure the factory client (FCC, fcc-example) is running on the gateway at " + host + ":"
                + request.getPort() + " and reachable from pep; pep's log has the tool's output."
                + " Nothing was recorded: the same serial can be retried.";
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
