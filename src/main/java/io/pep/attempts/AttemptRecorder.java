package io.pep.attempts;

import io.pep.identity.QueryParameters;
import io.pep.observe.ProvisioningMetrics;
import io.pep.provisioning.GatewayFailedProblem;
import io.pep.provisioning.IdentityRequest;
import java.util.Date;
import java.util.Optional;
import org.apache.camel.util.ObjectHelper;
import org.bson.Document;

/**
 * Turns a finished {@code /v3/identity} call into one attempt document (and counts it in the
 * metrics). Called from the provisioning route's {@code onCompletion} after the answer is written,
 * with the values the route left (routes/attempts.camel.yaml names them). Never copies a key,
 * certificate or verification key: only the fields named here go into the attempt.
 */
public class AttemptRecorder {

    static final int MAX_TEXT = 1000;

    private final java.util.function.Supplier<ProvisioningMetrics> metrics;
    private final String instance;

    public AttemptRecorder(java.util.function.Supplier<ProvisioningMetrics> metrics, String instance) {
        this.metrics = metrics;
        this.instance = instance;
    }

    /**
     * @param request   the validated request, or null when validation refused it
     * @param query     the query as sent (read when {@code request} is null), or null
     * @param client    the remote address of the call
     * @param status    the HTTP status answered, null for 200
     * @param answer    the body answered (kept as the reason of a refusal)
     * @param failure   the failure the route raised, or null
     * @param exitCode  the factory tool's exit code (exec mode), or null
     * @param startedAt when the call arrived (epoch ms)
     * @param tokenName the name of the access token the call came with, or null
     */
    public Document capture(IdentityRequest request, QueryParameters query, Object client, Integer status,
                            String answer, Throwable failure, Integer exitCode, long startedAt, String tokenName) {
        long now = System.currentTimeMillis();
        long durationMs = now - startedAt;
        int httpStatus = status == null ? 200 : status;
        String outcome = AttemptOutcome.classify(httpStatus, failure);

        Document attempt = new Document("time", new Date(now));
        if (request != null) {
            attempt.append("serialNumber", request.getSerialNumber()).append("ip", request.getIp())
                    .append("port", request.getPort());
        } else if (query != null) {
            // refused before validation passed: what was asked, as far as it can be read
            attempt.append("serialNumber", raw(query, "serialNumber")).append("ip", raw(query, "ip"))
                    .append("port", raw(query, "port"));
        }
        attempt.append("client", clientAddress(client));
        if (tokenName != null) {
            attempt.append("token", tokenName);
        }
        attempt.append("outcome", outcome).append("status", httpStatus);
        if (httpStatus >= 300) {
            attempt.append("reason", bounded(String.valueOf(answer).strip()));
        }
        GatewayFailedProblem gateway = ObjectHelper.getException(GatewayFailedProblem.class, failure);
        if (gateway != null && gateway.returnStatus() >= 0) {
            attempt.append("fccReturnStatus", gateway.returnStatus());
            if (gateway.infoMessage() != null) {
                attempt.append("fccInfoMessage", bounded(gateway.infoMessage().strip()));
            }
        }
        if (exitCode != null) {
            attempt.append("toolExitCode", exitCode);
        }
        attempt.append("durationMs", durationMs).append("instance", instance);
        metrics.get().provisioned(outcome, durationMs);
        return attempt;
    }

    /**
     * The attempt-log entry of a retirement (outcome {@code retired}), counted in the metrics: the
     * serial, the identity retired, why, by whom and from where.
     */
    public Document retirement(java.util.Map<String, Object> retired, io.pep.provisioning.Retirements.Request request) {
        metrics.get().retired(request.reasonClass());
        return new Document("time", new Date()).append("serialNumber", request.serialNumber())
                .append("client", request.client())
                .append("outcome", AttemptOutcome.RETIRED).append("status", 200)
                .append("reason", bounded(request.reason())).append("reasonClass", request.reasonClass())
                .append("enrollmentID", retired.get("enrollmentID"))
                .append("retiredBy", request.retiredBy()).append("instance", instance);
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
