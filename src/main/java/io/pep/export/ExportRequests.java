package io.pep.export;

import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Reads the operator's export requests ({@code POST /v3/exports/*}, {@code GET /v3/exports}); 400 on bad input. */
public class ExportRequests {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    static final int DEFAULT_DUPLICATES = 1000;
    static final int MAX_DUPLICATES = 10000;

    /** The CSV mode of a triggered drop: {@code ?mode=} or the configured default. */
    public String csvMode(QueryParameters query, String configured) {
        String mode = query.nonEmpty("mode").orElse(configured).toLowerCase();
        return checkMode(mode);
    }

    public String checkMode(String mode) {
        if (!"incremental".equals(mode) && !"full".equals(mode)) {
            throw new InvalidRequest("Invalid request: mode must be 'incremental' or 'full', not '" + mode + "'");
        }
        return mode;
    }

    /**
     * {@code ?wait=} seconds to wait for the run to end before answering 202; absent or empty: 0 (answer
     * at once). More than {@code max} waits {@code max}: the HTTP thread must not wait long.
     */
    public int waitSeconds(QueryParameters query, int max) {
        return query.nonEmpty("wait").map(text -> {
            try {
                int seconds = Integer.parseInt(text);
                if (seconds >= 0) {
                    return Math.min(seconds, max);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new InvalidRequest("Invalid request: wait must be a number of seconds (0 or more; at most " + max
                    + " are waited), not '" + text + "'");
        }).orElse(0);
    }

    /** The run id of {@code GET /v3/exports/{id}}: the last segment of the request's path. */
    public String runId(String path) {
        String p = path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Filter of the listing: all runs, or {@code ?kind=csv|upload}. */
    public Document listFilter(QueryParameters query) {
        return query.nonEmpty("kind").map(kind -> {
            if (!ExportRuns.CSV.equals(kind) && !ExportRuns.UPLOAD.equals(kind)) {
                throw new InvalidRequest("Invalid request: kind must be 'csv' or 'upload', not '" + kind + "'");
            }
            return new Document("kind", kind);
        }).orElse(new Document());
    }

    /** {@code ?limit=} 1..200, default 20. */
    public int listLimit(QueryParameters query) {
        return query.nonEmpty("limit").map(text -> {
            try {
                int limit = Integer.parseInt(text);
                if (limit >= 1 && limit <= MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new InvalidRequest("Invalid request: limit must be a number from 1 to " + MAX_LIMIT + ", not '" + text + "'");
        }).orElse(DEFAULT_LIMIT);
    }

    /** {@code ?limit=} of the duplicates of one run: 1..10000, default 1000 (one run can hold many). */
    public int duplicatesLimit(QueryParameters query) {
        return query.nonEmpty("limit").map(text -> {
            try {
                int limit = Integer.parseInt(text);
                if (limit >= 1 && limit <= MAX_DUPLICATES) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new InvalidRequest("Invalid request: limit must be a number from 1 to " + MAX_DUPLICATES + ", not '" + text + "'");
        }).orElse(DEFAULT_DUPLICATES);
    }

    /** {@code ?run=}: an upload run's id, or null for the latest upload run that had duplicates. */
    public String runId(QueryParameters query) {
        return query.nonEmpty("run").map(run -> {
            if (run.length() > 100) {
                throw new InvalidRequest("Invalid request: run must be a run id from GET /v3/exports (at most 100 characters)");
            }
            return run;
        }).orElse(null);
    }

    /** {@code ?format=csv} (or json, the default); 400 on anything else. */
    public boolean wantsCsv(QueryParameters query) {
        String format = query.nonEmpty("format").orElse("json").toLowerCase();
        if (!"csv".equals(format) && !"json".equals(format)) {
            throw new InvalidRequest("Invalid request: format must be 'csv' or 'json', not '" + format + "'");
        }
        return "csv".equals(format);
    }

    public Document newestFirst() {
        return new Document("startedAt", -1);
    }

    public List<Map<String, Object>> views(List<Document> runs) {
        List<Map<String, Object>> views = new ArrayList<>();
        if (runs != null) {
            runs.forEach(run -> views.add(ExportRun.view(run)));
        }
        return views;
    }
}
