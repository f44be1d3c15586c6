package io.pep.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The fields pep uses of the portal's BulkResponse (SPEC §5). */
public record PortalBulk(String id, String status, long totalCount, long processedCount, long errorsCount,
        String errorsReportFile, String fullReportFile) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static PortalBulk parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.hasNonNull("id") || !node.hasNonNull("status")) {
                throw new IllegalStateException("The portal answered without a bulk upload id/status: "
                        + (json.length() > 200 ? json.substring(0, 200) + "…" : json));
            }
            return new PortalBulk(node.get("id").asText(), node.get("status").asText(), node.path("total_count").asLong(),
                    node.path("processed_count").asLong(), node.path("errors_count").asLong(),
                    text(node, "errors_report_file"), text(node, "full_report_file"));
        } catch (IOException e) {
            throw new UncheckedIOException("The portal's bulk upload answer is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    public boolean isCompleted() {
        return "completed".equals(status);
    }

    /** The error report is worth fetching: the portal names one and counted errors. */
    public boolean hasErrorReport() {
        return errorsReportFile != null && errorsCount > 0;
    }
}
