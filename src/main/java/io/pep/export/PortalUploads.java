package io.pep.export;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.bson.Document;

/**
 * The portal side of an upload run: cuts the claimed ids into bulk upload files no larger than the
 * portal accepts (SPEC §5: 10 MB), and wraps one as the multipart request the portal expects.
 */
public class PortalUploads {

    static final String HEADER_LINE = "enrollment_identity\n";
    static final String FIELD = "enrollment_identities";
    /** Redirects a report download follows at most. */
    static final int MAX_REDIRECTS = 3;

    private final String url;
    private final String apiKey;
    private final long maxFileBytes;

    public PortalUploads(String url, String apiKey, long maxFileBytes) {
        this.url = url;
        this.apiKey = apiKey;
        this.maxFileBytes = maxFileBytes;
    }

    /** Refuses to start an upload run that cannot authenticate. */
    public void checkConfigured() {
        if (url == null || url.isBlank() || apiKey == null || apiKey.isBlank()) {
            throw new PortalNotConfigured();
        }
    }

    /**
     * The claimed records as upload files, read from the cursor one file at a time. A part notes
     * whether its records came in ascending {@code _id} order (the embedded store's and MongoDB's
     * walk of the run's index), so that the ledger may write them by {@code _id} windows.
     */
    public Iterator<UploadPart> parts(Iterable<Document> records) {
        Iterator<Document> cursor = records.iterator();
        return new Iterator<>() {
            private int number;
            private Object previous;
            /** In ascending order since the stream's first record: then no other part's record lies between a part's. */
            private boolean inOrder = true;

            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public UploadPart next() {
                if (!cursor.hasNext()) {
                    throw new NoSuchElementException();
                }
                ByteArrayOutputStream csv = new ByteArrayOutputStream();
                csv.writeBytes(HEADER_LINE.getBytes(StandardCharsets.UTF_8));
                Set<String> ids = new LinkedHashSet<>();
                List<Object> records = new ArrayList<>();
                List<Object> skipped = new ArrayList<>();
                while (cursor.hasNext()) {
                    Document record = cursor.next();
                    Object recordId = record.get("_id");
                    inOrder &= ascending(previous, recordId);
                    previous = recordId;
                    String id = record.getString("enrollmentID");
                    if (id == null || id.isBlank()) {
                        skipped.add(recordId);
                        continue;
                    }
                    records.add(recordId);
                    if (!ids.add(id)) {
                        continue;
                    }
                    csv.writeBytes((id + "\n").getBytes(StandardCharsets.UTF_8));
                    // an id is at most ~100 bytes: stop while the next one surely fits
                    if (csv.size() + 256 > maxFileBytes) {
                        break;
                    }
                }
                return new UploadPart(++number, ids, records, skipped, inOrder && !records.isEmpty(), csv.toByteArray());
            }
        };
    }

    /** Whether {@code next} follows {@code previous} (null: the first) in ascending order, both of one comparable kind. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean ascending(Object previous, Object next) {
        if (previous == null) {
            return next instanceof Comparable;
        }
        return next != null && previous.getClass() == next.getClass() && next instanceof Comparable comparable
                && comparable.compareTo(previous) > 0;
    }

    /** The bulk upload request body: the CSV as multipart field {@value #FIELD}. */
    public HttpEntity multipart(UploadPart part) {
        return MultipartEntityBuilder.create()
                .addBinaryBody(FIELD, part.csv(), ContentType.create("text/csv", StandardCharsets.UTF_8),
                        "enrollment-identities-" + part.number() + ".csv")
                .build();
    }

    public String uploadUrl() {
        return base() + "/v3/device-enrollments-bulk-uploads";
    }

    public String bulkUrl(String bulkId) {
        return uploadUrl() + "/" + bulkId;
    }

    /** Removing enrollments in bulk (SPEC §5): the same multipart CSV as an upload, polled at this URL + "/" + its id. */
    public String bulkDeleteUrl() {
        return base() + "/v3/device-enrollments-bulk-deletes";
    }

    /**
     * Whether {@code url} is the portal's own origin (scheme, host and port of {@code pep.portal.url}):
     * only then does a call carry the API key. A report link elsewhere (a storage host) is fetched
     * without it, so the key never reaches a host the operator did not configure.
     */
    public boolean isPortal(String url) {
        try {
            URI portal = URI.create(this.url.trim());
            URI other = URI.create(url.trim());
            return portal.getScheme() != null && portal.getScheme().equalsIgnoreCase(other.getScheme())
                    && portal.getHost() != null && portal.getHost().equalsIgnoreCase(other.getHost())
                    && port(portal) == port(other);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a call to {@code url} carries the API key: only to the portal's own origin, and never
     * on a request that follows a redirect ({@code redirected}), even to the same origin.
     */
    public boolean carriesKey(String url, Object redirected) {
        return !"true".equals(String.valueOf(redirected)) && isPortal(url);
    }

    /** Who answered a call to {@code url}, for the operator's sentence: the portal, or the report link's host. */
    public String who(String url) {
        if (isPortal(url)) {
            return "the portal";
        }
        try {
            URI other = URI.create(url.trim());
            return "the report host " + other.getHost() + (other.getPort() >= 0 ? ":" + other.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "the report host";
        }
    }

    /**
     * Where a report download goes next: null when {@code status} is no redirect (the answer is the
     * report), else {@code location} resolved against {@code url} — at most {@value #MAX_REDIRECTS}
     * hops, http or https only. The next request goes without the API key ({@link #carriesKey}).
     */
    public String redirect(String url, Integer status, String location, Integer hops) {
        if (status == null || status < 300 || status >= 400) {
            return null;
        }
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("the answer " + status + " to " + url + " names no Location to follow");
        }
        if (hops != null && hops >= MAX_REDIRECTS) {
            throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects from the error report link");
        }
        try {
            URI next = URI.create(url.trim()).resolve(location.trim());
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new IllegalStateException("a redirect to " + next.getScheme() + ": is not followed");
            }
            return next.toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the redirect Location is not a URL: " + e.getMessage());
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : -1;
    }

    private String base() {
        return url.replaceAll("/+$", "");
    }

    /** The portal's error report link, made absolute against the portal URL when it is a path. */
    public String reportUrl(PortalBulk bulk) {
        String link = bulk.errorsReportFile();
        return link.startsWith("http://") || link.startsWith("https://") ? link
                : base() + (link.startsWith("/") ? link : "/" + link);
    }
}
