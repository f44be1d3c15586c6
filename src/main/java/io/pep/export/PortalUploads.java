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

    /** The claimed records as upload files, read from the cursor one file at a time. */
    public Iterator<UploadPart> parts(Iterable<Document> records) {
        Iterator<Document> cursor = records.iterator();
        return new Iterator<>() {
            private int number;

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
                while (cursor.hasNext()) {
                    Document record = cursor.next();
                    String id = record.getString("enrollmentID");
                    if (id == null || id.isBlank()) {
                        continue;
                    }
                    records.add(record.get("_id"));
                    if (!ids.add(id)) {
                        continue;
                    }
                    csv.writeBytes((id + "\n").getBytes(StandardCharsets.UTF_8));
                    // an id is at most ~100 bytes: stop while the next one surely fits
                    if (csv.size() + 256 > maxFileBytes) {
                        break;
                    }
                }
                return new UploadPart(++number, ids, records, csv.toByteArray());
            }
        };
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
