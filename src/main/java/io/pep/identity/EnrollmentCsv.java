package io.pep.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bson.Document;

/**
 * The enrollment list CSV of the original's export (SPEC §6): one header line, then one row per
 * gateway, RFC 4180 quoting, CRLF. The drops stream through {@link #printer}; the API's pages marshal
 * the same {@link #row}s with camel-csv's RFC4180 format, which prints them the same way.
 */
public final class EnrollmentCsv {

    public static final List<String> COLUMNS = List.of("enrollmentID", "serialNumber", "gatewayServicesAddress",
            "apiAddress", "hardwareVersion", "radioConfig", "ledConfig", "category", "deployed", "createdAt");
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private EnrollmentCsv() {
    }

    public static List<String> row(Document record) {
        List<String> row = new ArrayList<>(COLUMNS.size());
        for (String column : COLUMNS) {
            Object value = record.get(column);
            row.add(value == null ? "" : String.valueOf(value));
        }
        return row;
    }

    /** A printer in this format on {@code out}, for callers that write row by row. */
    public static CSVPrinter printer(Appendable out) {
        try {
            return new CSVPrinter(out, FORMAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
