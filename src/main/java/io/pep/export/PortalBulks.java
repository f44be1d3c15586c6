package io.pep.export;

import java.util.List;
import java.util.Map;

/**
 * What differs between the portal's two kinds of bulk (SPEC §5), for the routes that poll and settle
 * either one (export-upload.camel.yaml, {@code portal-bulk-settle} and {@code portal-bulk-report}):
 * its status URL, its name in the operator's sentences, and the ledger that settles its ids — a bulk
 * upload's ({@link UploadLedger}) or a bulk delete's ({@link PortalDeletes}). The kind is the
 * exchange property {@code bulkKind}: absent for uploads, {@value #DELETE} for deletes.
 */
public class PortalBulks {

    public static final String DELETE = "delete";

    private final PortalUploads portal;
    private final UploadLedger uploads;
    private final PortalDeletes deletes;

    public PortalBulks(PortalUploads portal, UploadLedger uploads, PortalDeletes deletes) {
        this.portal = portal;
        this.uploads = uploads;
        this.deletes = deletes;
    }

    private static boolean isDelete(String kind) {
        return DELETE.equals(kind);
    }

    /** Where the bulk's status is polled. */
    public String statusUrl(String kind, String bulkId) {
        return isDelete(kind) ? portal.bulkDeleteUrl() + "/" + bulkId : portal.bulkUrl(bulkId);
    }

    /** The bulk in the operator's words: "bulk upload …" or "bulk delete …". */
    public String name(String kind, String bulkId) {
        return (isDelete(kind) ? "bulk delete " : "bulk upload ") + bulkId;
    }

    /** Settles a completed bulk from its error report; false while the report is not complete. */
    public boolean settle(String kind, ExportRun run, PortalBulk bulk, List<Map<String, String>> errorReport) {
        return isDelete(kind) ? deletes.settle(run, bulk, errorReport) : uploads.settle(run, bulk, errorReport);
    }

    /** The portal no longer knows the bulk (404): its ids are sent again by a later run. */
    public void lost(String kind, ExportRun run, String bulkId) {
        if (isDelete(kind)) {
            deletes.bulkLost(run, bulkId);
        } else {
            uploads.bulkLost(run, bulkId);
        }
    }
}
