package io.pep.attempts;

import io.pep.api.ApiRequest;
import io.pep.api.QueryParameters;
import io.pep.observe.ProvisioningMetrics;
import io.pep.provisioning.IdentityRequest;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * Turns a finished {@code /v3/identity} exchange into one attempt document (and counts it in the
 * metrics). Called from the provisioning route's {@code onCompletion} after the answer is written;
 * reads only what the route left on the exchange. Never copies a key, certificate or
 * verification key: only the fields named here leave the exchange.
 */
public class AttemptRecorder {

    /** Property the factory tool step leaves the tool's combined output in (exec mode). */
    public static final String TOOL_OUTPUT = "toolOutput";
    static final int MAX_TEXT = 1000;

    private static final Pattern RETURN_STATUS = Pattern.compile("FCC ReturnStatus: (\\d+)");
    private static final Pattern INFO_MESSAGE = Pattern.compile("FCC InfoMessage: ([^\\r\\n]*)");

    private final java.util.function.Supplier<ProvisioningMetrics> metrics;
    private final String instance;

    public AttemptRecorder(java.util.function.Supplier<ProvisioningMetrics> metrics, String instance) {
        this.metrics = metrics;
        this.instance = instance;
    }

    public Document capture(Exchange exchange) {
        long now = System.currentTimeMillis();
        long durationMs = now - exchange.getClock().getCreated();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int httpStatus = status == null ? 200 : status;
        // what the route answered with, and what it caught first (an answer may leave the cause out)
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable failure = exchange.getProperty("failure", Throwable.class);
        if (failure == null) {
            failure = caught;
        }
        Integer exitCode = exchange.getMessage().getHeader("CamelExecExitValue", Integer.class);
        String toolOutput = exchange.getProperty(TOOL_OUTPUT, String.class);
        String outcome = AttemptOutcome.classify(httpStatus, failure, caught, exitCode, toolOutput);

        Document attempt = new Document("time", new Date(now));
        IdentityRequest request = exchange.getProperty("request", IdentityRequest.class);
        QueryParameters query = exchange.getProperty(ApiRequest.QUERY, QueryParameters.class);
        if (request != null) {
            attempt.append("serialNumber", request.getSerialNumber()).append("ip", request.getIp())
                    .append("port", request.getPort());
        } else if (query != null) {
            // refused before validation passed: what was asked, as far as it can be read
            attempt.append("serialNumber", raw(query, "serialNumber")).append("ip", raw(query, "ip"))
                    .append("port", raw(query, "port"));
        }
        attempt.append("client", clientAddress(exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress")))
                .append("outcome", outcome).append("status", httpStatus);
        if (httpStatus >= 300) {
            attempt.append("reason", bounded(String.valueOf(exchange.getMessage().getBody(String.class)).strip()));
        }
        fcc(attempt, caught != null ? caught : failure, toolOutput);
        if (exitCode != null) {
            attempt.append("toolExitCode", exitCode);
        }
        attempt.append("durationMs", durationMs).append("instance", instance);
        metrics.get().provisioned(outcome, durationMs);
        return attempt;
    }

    private static void fcc(Document attempt, Throwable failure, String toolOutput) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.pep.injector.InjectionException e && e.returnStatus() >= 0) {
                attempt.append("fccReturnStatus", e.returnStatus());
                if (e.fccMessage() != null) {
                    attempt.append("fccInfoMessage", bounded(e.fccMessage().strip()));
                }
                return;
            }
        }
        if (toolOutput != null) {
            Matcher status = RETURN_STATUS.matcher(toolOutput);
            if (status.find()) {
                attempt.append("fccReturnStatus", Long.parseLong(status.group(1)));
                Matcher info = INFO_MESSAGE.matcher(toolOutput);
                if (info.find()) {
                    attempt.append("fccInfoMessage", bounded(info.group(1).strip()));
                }
            }
        }
    }

    private static String raw(QueryParameters query, String name) {
        try {
            Optional<String> value = query.single(name);
            return value.map(AttemptRecorder::bounded).orElse(null);
        } catch (RuntimeException e) {
            return null; // given twice: the attempt was refused for it, its reason says so
        }
    }

    private static String clientAddress(Object remote) {
        if (remote instanceof io.vertx.core.net.SocketAddress address) {
            return address.hostAddress() != null ? address.hostAddress() : address.host();
        }
        return remote == null ? null : remote.toString();
    }

    static String bounded(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
