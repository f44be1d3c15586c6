package io.pep.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The portal's error report of a bulk upload (SPEC §5): columns {@code entity__id, error__code,
 * error__type, error__message, error__fields}, read by the route with camel-csv (one ordered map
 * per row, keyed by the header line). An id claimed already ({@code duplicate}, 409) counts as
 * uploaded; any other error is kept on the record and retried by the next run.
 */
public final class PortalErrorReport {

    public record Entry(String id, String code, String type, String message) {
        public boolean isDuplicate() {
            return "duplicate".equalsIgnoreCase(type) || "409".equals(code);
        }

        public String describe() {
            return code + " " + type + (message == null || message.isEmpty() ? "" : ": " + message);
        }
    }

    private PortalErrorReport() {
    }

    /**
     * The entries of the report's rows ({@code null}: no report). The id is the {@code entity__id}
     * column, or the first one when a report names it otherwise; rows without an id are skipped.
     */
    public static List<Entry> entries(List<Map<String, String>> rows) {
        List<Entry> entries = new ArrayList<>();
        if (rows == null) {
            return entries;
        }
        for (Map<String, String> row : rows) {
            String id = row.containsKey("entity__id") ? row.get("entity__id")
                    : row.values().stream().findFirst().orElse(null);
            id = id == null ? "" : id.trim();
            if (!id.isEmpty()) {
                entries.add(new Entry(id, value(row, "error__code"), value(row, "error__type"), value(row, "error__message")));
            }
        }
        return entries;
    }

    /** The entries by {@link #key}: a report may name an id in another case or with blanks around it. */
    public static Map<String, Entry> byId(List<Entry> entries) {
        Map<String, Entry> byId = new HashMap<>();
        entries.forEach(entry -> byId.put(key(entry.id()), entry));
        return byId;
    }

    /** An enrollment id as {@link #byId} keys it. */
    public static String key(String id) {
        return id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses a body that is no error report (a login page, a storage service's XML error answered
     * 200): rows that name neither {@code entity__id} nor {@code error__code} would otherwise be read
     * as "no errors", and the bulk's refused ids would count as created.
     */
    public static List<Map<String, String>> check(List<Map<String, String>> rows) {
        if (rows != null && !rows.isEmpty() && !rows.get(0).containsKey("entity__id") && !rows.get(0).containsKey("error__code")) {
            String columns = String.join(",", rows.get(0).keySet());
            throw new IllegalStateException("the answer is not an error report (no entity__id or error__code column; it begins "
                    + (columns.length() > 80 ? columns.substring(0, 80) + "…" : columns) + ")");
        }
        return rows;
    }

    private static String value(Map<String, String> row, String column) {
        String value = row.get(column);
        return value == null ? "" : value;
    }
}
