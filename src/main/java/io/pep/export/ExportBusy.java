package io.pep.export;

/** Another run of the same kind holds the lease (here or in another pep sharing the database). */
public class ExportBusy extends RuntimeException {

    public ExportBusy(String kind, String holder) {
        super("A " + kind + " export is running already (run " + holder + "); try again when it has finished"
                + " (GET /v3/exports).");
    }
}
