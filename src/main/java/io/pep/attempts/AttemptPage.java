package io.pep.attempts;

import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import io.pep.listing.CsvRecords;
import io.pep.listing.PageRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * One page of {@code GET /v3/attempts}, newest first: filters {@code serialNumber}, {@code outcome},
 * {@code since}/{@code until} (ISO-8601 instant or epoch milliseconds), paging like
 * {@code /v3/enrollment-ids} ({@code limit} default 50, max 1000; {@code last} = the {@code _id}
 * the previous page ended on), HAL JSON or CSV ({@code format=csv}).
 */
public final class AttemptPage implements io.pep.listing.ListingPage {

    static final List<String> CSV_COLUMNS = List.of("time", "serialNumber", "ip", "port", "client", "outcome", "status",
            "reason", "fccReturnStatus", "fccInfoMessage", "toolExitCode", "durationMs", "instance", "token", "_id");

    private final String serialNumber;
    private final String outcome;
    private final Long since;
    private final Long until;
    private final int limit;
    private final ObjectId last;
    private final boolean csv;

    private AttemptPage(String serialNumber, String outcome, Long since, Long until, int limit, ObjectId last, boolean csv) {
        this.serialNumber = serialNumber;
        this.outcome = outcome;
        this.since = since;
        this.until = until;
        this.limit = limit;
        this.last = last;
        this.csv = csv;
    }

    public static AttemptPage of(QueryParameters query, String accept) {
        String serial = query.nonEmpty("serialNumber").orElse(null);
        String outcome = query.nonEmpty("outcome").orElse(null);
        if (outcome != null && !AttemptOutcome.LOGGED.contains(outcome)) {
            throw new InvalidRequest("Invalid request: parameter 'outcome' must be one of " + String.join(", ", AttemptOutcome.LOGGED));
        }
        Long since = query.nonEmpty("since").map(text -> time("since", text)).orElse(null);
        Long until = query.nonEmpty("until").map(text -> time("until", text)).orElse(null);
        PageRequest paging = PageRequest.of(query, accept);
        return new AttemptPage(serial, outcome, since, until, paging.limit(), paging.last(), paging.csv());
    }

    private static long time(String name, String text) {
        if (text.matches("\\d{1,15}")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("Invalid request: parameter '" + name + "' must be an ISO-8601 time"
                    + " (2026-11-29T08:00:00Z) or epoch milliseconds");
        }
    }


    public Document getFilter() {
        Document filter = new Document();
        if (serialNumber != null) {
            filter.append("serialNumber", serialNumber);
        }
        if (outcome != null) {
            filter.append("outcome", outcome);
        }
        if (since != null || until != null) {
            Document range = new Document();
            if (since != null) {
                range.append("$gte", new Date(since));
            }
            if (until != null) {
                range.append("$lt", new Date(until));
            }
            filter.append("time", range);
        }
        if (last != null) {
            filter.append("_id", new Document("$lt", last));
        }
        return filter;
    }

    public Document getSort() {
        return new Document("_id", -1);
    }

    public int getLimit() {
        return limit;
    }

    /** True when the request asked for CSV ({@code format=csv} or {@code Accept: text/csv}). */
    public boolean isCsv() {
        return csv;
    }

    /** The next page's address (in the representation asked for); null after an empty page. */
    @Override
    public String nextHref(List<Document> attempts) {
        String cursor = PageRequest.nextCursor(attempts);
        return cursor == null ? null : href(cursor);
    }

    /** The HAL JSON page (for camel-jackson). */
    @Override
    public Map<String, Object> hal(List<Document> attempts) {
        String nextHref = nextHref(attempts);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", href(last == null ? null : last.toHexString())));
        if (nextHref != null) {
            links.put("next", Map.of("href", nextHref));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        attempts.forEach(attempt -> results.add(view(attempt)));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("_links", links);
        page.put("results", results);
        page.put("total_count", results.size());
        page.put("limit", limit);
        return page;
    }

    /**
     * The CSV rows (for camel-csv): the header line, then {@link #CSV_COLUMNS} of each attempt; an
     * absent value stays null, which the printer writes as an empty, unquoted field.
     */
    @Override
    public List<Map<String, Object>> csvRows(List<Document> attempts) {
        return CsvRecords.withHeader(CSV_COLUMNS, attempts, attempt -> {
            Map<String, Object> view = view(attempt);
            return CSV_COLUMNS.stream().map(view::get).toList();
        });
    }

    static Map<String, Object> view(Document attempt) {
        Map<String, Object> view = new LinkedHashMap<>();
        attempt.forEach((key, value) -> {
            if (value instanceof ObjectId id) {
                view.put(key, id.toHexString());
            } else if (value instanceof Date date) {
                view.put(key, date.toInstant().toString());
            } else {
                view.put(key, value);
            }
        });
        return view;
    }

    private String href(String lastId) {
        StringBuilder href = new StringBuilder("/v3/attempts?limit=").append(limit);
        append(href, "serialNumber", serialNumber);
        append(href, "outcome", outcome);
        append(href, "since", since == null ? null : since.toString());
        append(href, "until", until == null ? null : until.toString());
        append(href, "last", lastId);
        if (csv) {
            href.append("&format=csv");
        }
        return href.toString();
    }

    private static void append(StringBuilder href, String name, String value) {
        if (value != null) {
            href.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
