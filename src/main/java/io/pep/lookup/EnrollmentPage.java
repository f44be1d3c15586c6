package io.pep.lookup;

import io.pep.identity.QueryParameters;
import io.pep.identity.EnrollmentCsv;
import io.pep.identity.IdentityView;
import io.pep.listing.CsvRecords;
import io.pep.listing.PageRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * One page of {@code GET /v3/enrollment-ids}: deployed gateways in insertion ({@code _id}) order,
 * {@code limit} default 50, clamped to 1000, junk → 50; {@code order} ASC/DESC; {@code last} the
 * {@code _id} the previous page ended on. Answered as HAL JSON or, on request, CSV.
 */
public final class EnrollmentPage implements io.pep.listing.ListingPage {

    private final int limit;
    private final boolean ascending;
    private final String orderParameter;
    private final ObjectId last;
    private final boolean csv;

    private EnrollmentPage(int limit, boolean ascending, String orderParameter, ObjectId last, boolean csv) {
        this.csv = csv;
        this.limit = limit;
        this.ascending = ascending;
        this.orderParameter = orderParameter;
        this.last = last;
    }

    /** The page a request asks for; CSV with {@code format=csv} or an {@code Accept} naming text/csv. */
    public static EnrollmentPage of(QueryParameters query, String accept) {
        PageRequest paging = PageRequest.of(query, accept);
        String order = query.nonEmpty("order").orElse(null);
        boolean ascending = order != null && order.equalsIgnoreCase("ASC");
        return new EnrollmentPage(paging.limit(), ascending, order, paging.last(), paging.csv());
    }


    /** The query: deployed gateways after the cursor. */
    public Bson getFilter() {
        Document filter = new Document("deployed", true);
        if (last != null) {
            filter.append("_id", new Document(ascending ? "$gt" : "$lt", last));
        }
        return filter;
    }

    public Bson getSort() {
        return new Document("_id", ascending ? 1 : -1);
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
    public String nextHref(List<Document> records) {
        String cursor = PageRequest.nextCursor(records);
        return cursor == null ? null : href(cursor, csv);
    }

    /** The CSV rows of the page: SPEC §6's header line, then one row per gateway (for camel-csv). */
    @Override
    public List<Map<String, Object>> csvRows(List<Document> records) {
        return CsvRecords.withHeader(EnrollmentCsv.COLUMNS, records, EnrollmentCsv::row);
    }

    /** The HAL JSON page, fields in the original's order (for camel-jackson). */
    @Override
    public Map<String, Object> hal(List<Document> records) {
        String nextHref = nextHref(records);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", href(last == null ? null : last.toHexString(), false)));
        if (nextHref != null) {
            links.put("next", Map.of("href", nextHref));
        }
        List<Map<String, Object>> results = new ArrayList<>(records.size());
        records.forEach(record -> results.add(IdentityView.of(record, true)));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("_links", links);
        page.put("results", results);
        page.put("total_count", results.size()); // as the original: the size of this page
        page.put("limit", limit);
        page.put("order", ascending ? "ASC" : "DESC");
        return page;
    }

    private String href(String lastId, boolean csv) {
        StringBuilder href = new StringBuilder("/v3/enrollment-ids?limit=").append(limit);
        if (orderParameter != null) {
            href.append("&order=").append(ascending ? "ASC" : "DESC");
        }
        if (lastId != null) {
            href.append("&last=").append(lastId);
        }
        if (csv) {
            href.append("&format=csv");
        }
        return href.toString();
    }
}
