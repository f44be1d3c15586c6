package io.pep.listing;

import java.util.List;
import java.util.Map;
import org.bson.Document;

/** One page of a listing (enrollment ids, attempts): what its answer holds, as HAL JSON or as CSV rows. */
public interface ListingPage {

    /** The page as HAL JSON: the entries and the links to this page and the next. */
    Map<String, Object> hal(List<Document> entries);

    /** The page's CSV rows for camel-csv, the header line first ({@link CsvRecords}). */
    List<Map<String, Object>> csvRows(List<Document> entries);

    /** The next page's path and query; null after an empty page. */
    String nextHref(List<Document> entries);
}
