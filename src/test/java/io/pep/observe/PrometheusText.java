package io.pep.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small parser of the Prometheus text exposition format (0.0.4), strict enough to fail on a
 * malformed scrape: {@code # HELP}/{@code # TYPE} lines, then {@code name{label="value",…} number}.
 * Samples are keyed by name and labels sorted by name: {@code pep_provisionings_total{outcome="ok"}}.
 */
public final class PrometheusText {

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    parsed.types.put(parts[2], parts[3]);
                } else if (parts.length < 3 || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    throw new IllegalArgumentException("line " + lineNumber + ": unknown comment: " + line);
                }
                continue;
            }
            int i = 0;
            while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':')) {
                i++;
            }
            String name = line.substring(0, i);
            if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
                throw new IllegalArgumentException("line " + lineNumber + ": no metric name: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq).trim();
                    if (line.charAt(eq + 1) != '"') {
                        throw new IllegalArgumentException("line " + lineNumber + ": unquoted label value: " + line);
                    }
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char next = line.charAt(++j);
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(label, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = line.substring(i).trim().split(" ");
            double value = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(rest[0]);
            };
            parsed.samples.put(key(name, labels), value);
        }
        return parsed;
    }

    public static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder key = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    /** The sample's value, 0 when absent (a counter not yet created). */
    public double value(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.getOrDefault(key(name, labels), 0.0);
    }

    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    public Map<String, Double> samples() {
        return samples;
    }

    public Map<String, String> types() {
        return types;
    }
}
