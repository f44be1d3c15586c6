package io.pep.export;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The portal's error report of a bulk upload (SPEC §5): columns {@code entity__id, error__code,
 * error__type, error__message, error__fields}. An id claimed already ({@code duplicate}, 409)
 * counts as uploaded; any other error is kept on the record and retried by the next run.
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

    public static List<Entry> parse(String csv) {
        List<Entry> entries = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return entries;
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).get();
        try {
            for (CSVRecord row : format.parse(new StringReader(csv))) {
                String id = row.isMapped("entity__id") ? row.get("entity__id").trim() : row.get(0).trim();
                if (!id.isEmpty()) {
                    entries.add(new Entry(id, value(row, "error__code"), value(row, "error__type"), value(row, "error__message")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static String value(CSVRecord row, String column) {
        return row.isMapped(column) && row.isSet(column) ? row.get(column) : "";
    }
}
