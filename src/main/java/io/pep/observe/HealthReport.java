package io.pep.observe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Answers {@code /observe/health/live} and {@code /observe/health/ready} from Camel's health
 * check registry (camel-health: the context, routes and consumers, plus pep's own checks):
 * 200 when every check that counts is UP, 503 otherwise, with a report of each check (the route
 * marshals it as JSON). Served by a route on pep's own port (not Camel's management port) so
 * tokens and TLS apply.
 */
public class HealthReport {

    /** Checks that are reported but never make pep unready (exports catch up on their next run). */
    static final Set<String> ADVISORY = Set.of(ExportTargetsHealthCheck.ID);

    /** One answer: 200 when every check that counts is UP, else 503; the report for camel-jackson. */
    public record Health(int status, Map<String, Object> report) {
    }

    /** The context is bound by Camel (a CamelContext parameter of a bean method). */
    public Health live(CamelContext context) {
        return health(HealthCheckHelper.invokeLiveness(context));
    }

    public Health ready(CamelContext context) {
        return health(HealthCheckHelper.invokeReadiness(context));
    }

    /** True when the readiness checks that count are UP (for the metrics' pep_ready gauge). */
    public static boolean isReady(CamelContext context) {
        return counts(HealthCheckHelper.invokeReadiness(context));
    }

    private static boolean counts(Collection<HealthCheck.Result> results) {
        return results.stream().filter(r -> !ADVISORY.contains(r.getCheck().getId()))
                .allMatch(r -> r.getState() == HealthCheck.State.UP);
    }

    private static Health health(Collection<HealthCheck.Result> results) {
        boolean up = counts(results);
        List<Map<String, Object>> checks = new ArrayList<>();
        // Camel checks one route and one consumer each: one line per kind, naming those not UP
        Map<String, List<HealthCheck.Result>> perRoute = new TreeMap<>();
        results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).forEach(result -> {
            String id = result.getCheck().getId();
            int colon = id.indexOf(':');
            if (colon > 0 && !"pep".equals(result.getCheck().getGroup())) {
                perRoute.computeIfAbsent(id.substring(0, colon) + "s", k -> new ArrayList<>()).add(result);
                return;
            }
            checks.add(view(result));
        });
        perRoute.forEach((kind, kindResults) -> {
            List<String> notUp = kindResults.stream().filter(r -> r.getState() != HealthCheck.State.UP)
                    .map(r -> r.getCheck().getId().substring(r.getCheck().getId().indexOf(':') + 1)).toList();
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", kind);
            check.put("status", notUp.isEmpty() ? "UP" : "DOWN");
            if (!notUp.isEmpty()) {
                check.put("message", "not running: " + String.join(", ", notUp));
            }
            check.put("details", Map.of("count", kindResults.size()));
            checks.add(check);
        });
        checks.sort(Comparator.comparing(c -> String.valueOf(c.get("name"))));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", up ? "UP" : "DOWN");
        report.put("checks", checks);
        return new Health(up ? 200 : 503, report);
    }

    private static Map<String, Object> view(HealthCheck.Result result) {
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
            // Camel's bookkeeping (invocation.*, success.*, failure.*, check.*) is left out: pep's own details only
            result.getDetails().forEach((key, value) -> {
                if (!key.contains(".")) {
                    details.put(key, value);
                }
            });
            if (!details.isEmpty()) {
                check.put("details", details);
            }
        }
        return check;
    }
}
