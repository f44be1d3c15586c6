package io.pep.export;

import io.pep.api.ApiProblem;

/** Another run of the same kind holds the lease (here or in another pep sharing the database). */
public class ExportBusy extends ApiProblem {

    public ExportBusy(String kind, String holder) {
        super(409, "A " + kind + " export is running already (run " + holder + "); try again when it has finished"
                + " (GET /v3/exports).");
    }
}
