package io.pep.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pep.PepTestSupport;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/grafana-dashboard.json and docs/prometheus.yml are valid, and every pep metric the
 * dashboard queries is in a real scrape of a running pep.
 */
class MonitoringDocsTest extends PepTestSupport {

    private static final Pattern METRIC = Pattern.compile("\\b(pep_[a-z_]+)\\b");

    @Test
    void theDashboardQueriesOnlyMetricsPepServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("docs/grafana-dashboard.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        Matcher variable = METRIC.matcher(dashboard.at("/templating/list/0/query").asText());
        while (variable.find()) {
            queried.add(variable.group(1));
        }
        assertTrue(queried.size() >= 10, "the dashboard queries pep's metrics: " + queried);

        assertEquals(200, get("/v3/identity?serialNumber=DASH-1&ip=127.0.0.1&port=7777").statusCode());
        PrometheusText scrape = PrometheusText.parse(get("/observe/metrics").body());
        Set<String> missing = new TreeSet<>();
        for (String name : queried) {
            if (!scrape.has(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "queried by the dashboard but not scraped: " + missing);
    }

    @Test
    void thePrometheusExampleScrapesPepsMetricsPath() throws Exception {
        JsonNode config = new YAMLMapper().readTree(Path.of("docs/prometheus.yml").toFile());
        JsonNode job = config.at("/scrape_configs/0");
        assertEquals("pep", job.path("job_name").asText());
        assertEquals("/observe/metrics", job.path("metrics_path").asText());
        assertFalse(job.at("/static_configs/0/targets/0").asText().isEmpty());
        assertEquals(200, get(job.path("metrics_path").asText()).statusCode());
    }
}
