package io.pep.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pep.PepTestSupport;
import java.nio.file.Path;
import java.util.List;
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

    /** pep's own metrics and Micrometer's JVM and process ones; not Prometheus' own (up). */
    private static final Pattern METRIC = Pattern.compile("\\b((?:pep|jvm|process|system)_[a-z_]+)\\b");
    /** The standard JVM and process figures an operator needs to see a leak or a coming OutOfMemoryError. */
    private static final List<String> JVM_AND_PROCESS = List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes",
            "jvm_memory_committed_bytes", "jvm_gc_pause_seconds_count", "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads", "jvm_threads_peak_threads", "jvm_classes_loaded_classes", "process_cpu_usage",
            "system_cpu_count", "process_files_open_files", "process_files_max_files", "process_uptime_seconds",
            "process_start_time_seconds");

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

        assertTrue(queried.containsAll(List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "jvm_threads_live_threads",
                "process_cpu_usage", "process_files_open_files", "process_uptime_seconds")), "JVM and process panels: " + queried);

        assertEquals(200, get("/v3/identity?serialNumber=DASH-1&ip=127.0.0.1&port=7777").statusCode());
        PrometheusText scrape = scrapeAfterAGc();
        Set<String> missing = new TreeSet<>();
        for (String name : queried) {
            if (!scrape.has(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "queried by the dashboard but not scraped: " + missing);
    }

    @Test
    void theScrapeHasTheJvmAndProcessMetrics() {
        PrometheusText scrape = scrapeAfterAGc();
        List<String> missing = JVM_AND_PROCESS.stream().filter(name -> !scrape.has(name)).toList();
        assertTrue(missing.isEmpty(), "not scraped: " + missing);
        assertTrue(scrape.samples().entrySet().stream().anyMatch(e -> e.getKey().startsWith("jvm_memory_used_bytes{")
                && e.getKey().contains("area=\"heap\"") && e.getValue() > 0), "heap pools with their use");
        assertTrue(scrape.has("pep_export_enabled{kind=\"upload\"}") || scrape.samples().keySet().stream()
                .anyMatch(k -> k.startsWith("pep_export_enabled{") && k.contains("kind=\"upload\"")), "uploads on/off");
    }

    @Test
    void everyShippedAlertQueriesOnlyMetricsPepServesAndSaysWhatItMeans() throws Exception {
        JsonNode config = new YAMLMapper().readTree(Path.of("docs/prometheus.yml").toFile());
        assertEquals("prometheus-rules.yml", config.at("/rule_files/0").asText());
        JsonNode rules = new YAMLMapper().readTree(Path.of("docs/prometheus-rules.yml").toFile()).at("/groups/0/rules");
        assertTrue(rules.size() >= 8, rules.toString());
        PrometheusText scrape = scrapeAfterAGc();
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            assertFalse(rule.at("/annotations/summary").asText().isBlank(), alert + " has a summary");
            Matcher m = METRIC.matcher(rule.path("expr").asText());
            while (m.find()) {
                assertTrue(scrape.has(m.group(1)), alert + " queries " + m.group(1) + ", not scraped");
            }
        }
        // uploads stale: only while uploads are on, and a series at 0 (never a success) is not "stale since 1970"
        String stale = null;
        for (JsonNode rule : rules) {
            if ("PepUploadsStale".equals(rule.path("alert").asText())) {
                stale = rule.path("expr").asText();
            }
        }
        assertTrue(stale != null && stale.contains("pep_export_enabled{kind=\"upload\"} == 1")
                && stale.contains("pep_export_last_success_timestamp_seconds{kind=\"upload\"} > 0")
                && stale.contains("pep_export_last_success_timestamp_seconds{kind=\"upload\"} == 0"), stale);
    }

    /** A scrape once the JVM has collected garbage (its GC pause timer exists from the first collection on). */
    private PrometheusText scrapeAfterAGc() {
        return io.pep.Eventually.await("a scrape with GC pauses", () -> {
            System.gc();
            return PrometheusText.parse(get("/observe/metrics").body());
        }, scrape -> scrape.has("jvm_gc_pause_seconds_count"));
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
