package io.pep.listing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A CSV answer's rows for camel-csv's {@code marshal}, each a Map from column to value in column
 * order. camel-csv asks Camel's type converters for a Map per row before it takes a List; a List row
 * is a miss, and each miss walks the converter registry, most of a page's time (bench/notes/history.md).
 * A Map row is used as it is and printed in its iteration order.
 */
public final class CsvRecords {

    private CsvRecords() {
    }

    /** The header line (each column's name), then one row per item: {@code values} in column order. */
    public static <T> List<Map<String, Object>> withHeader(List<String> columns, List<T> items,
            Function<T, List<?>> values) {
        List<Map<String, Object>> rows = new ArrayList<>(items.size() + 1);
        rows.add(record(columns, columns));
        items.forEach(item -> rows.add(record(columns, values.apply(item))));
        return rows;
    }

    private static Map<String, Object> record(List<String> columns, List<?> values) {
        Map<String, Object> record = new LinkedHashMap<>(columns.size() * 2); // no resize at load factor 0.75
        for (int i = 0; i < columns.size(); i++) {
            record.put(columns.get(i), values.get(i));
        }
        return record;
    }
}
