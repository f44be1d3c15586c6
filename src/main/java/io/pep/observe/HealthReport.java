package io.pep.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Answers {@code /observe/health/live} and {@code /observe/health/ready} from Camel's health
 * check registry (camel-health: the context, routes and consumers, plus pep's own checks):
 * 200 when every check that counts is UP, 503 otherwise, with a JSON report of each check.
 * Served by a route on pep's own port (not Camel's management port) so tokens and TLS apply.
 */
public class HealthReport {

    /** Checks that are reported but never make pep unready (exports catch up on their next run). */
    static final Set<String> ADVISORY = Set.of(ExportTargetsHealthCheck.ID);

    private static final ObjectMapper JSON = new ObjectMapper();

    public void live(Exchange exchange) throws JsonProcessingException {
        answer(exchange, HealthCheckHelper.invokeLiveness(exchange.getContext()));
    }

    public void ready(Exchange exchange) throws JsonProcessingException {
        answer(exchange, HealthCheckHelper.invokeReadiness(exchange.getContext()));
    }

    /** True when the readiness checks that count are UP (for the metrics' pep_ready gauge). */
    public static boolean isReady(CamelContext context) {
        return counts(HealthCheckHelper.invokeReadiness(context));
    }

    private static boolean counts(Collection<HealthCheck.Result> results) {
        return results.stream().filter(r -> !ADVISORY.contains(r.getCheck().getId()))
                .allMatch(r -> r.getState() == HealthCheck.State.UP);
    }

    private static void answer(Exchange exchange, Collection<HealthCheck.Result> results) throws JsonProcessingException {
        boolean up = counts(results);
        List<Map<String, Object>> checks = new ArrayList<>();
        results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).forEach(result -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", result.getCheck().getId());
            check.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> check.put("message", message));
            if (result.getState() != HealthCheck.State.UP && result.getMessage().isEmpty()) {
                result.getError().ifPresent(error -> check.put("message", String.valueOf(error.getMessage())));
            }
            if (ADVISORY.contains(result.getCheck().getId())) {
                check.put("advisory", true);
            }
            if ("pep".equals(result.getCheck().getGroup())) {
                Map<String, Object> details = new LinkedHashMap<>();
                result.getDetails().forEach((key, value) -> {
                    if (!key.startsWith("invocation.") && !key.startsWith("failure.") && !key.equals("check.id")
                            && !key.equals("check.group") && !key.equals("check.kind")) {
                        details.put(key, value);
                    }
                });
                if (!details.isEmpty()) {
                    check.put("details", details);
                }
            }
            checks.add(check);
        });
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", up ? "UP" : "DOWN");
        report.put("checks", checks);
        var out = exchange.getMessage();
        out.removeHeaders("*", "Camel*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setBody(JSON.writeValueAsString(report) + "\n");
    }
}
