package io.pep.export;

import java.util.concurrent.CompletableFuture;

/**
 * One export run asked for over HTTP ({@code POST /v3/exports/csv|upload}), as its request sees it:
 * the run once it is recorded (its id is what the request answers with), and how it ended.
 */
public final class ExportLaunch {

    private final String kind;
    private final CompletableFuture<ExportRun> recorded = new CompletableFuture<>();
    private final CompletableFuture<ExportRun> ended = new CompletableFuture<>();

    ExportLaunch(String kind) {
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    /** Called by {@link ExportRuns#start} once the run is in the runs collection, before it claims its records. */
    void recorded(ExportRun run) {
        recorded.complete(run);
    }

    CompletableFuture<ExportRun> recorded() {
        return recorded;
    }

    CompletableFuture<ExportRun> ended() {
        return ended;
    }

    /** The run, once recorded; null before. */
    ExportRun run() {
        return recorded.getNow(null);
    }

    /** The run ended (any status) or never started: whatever waits for it learns it. */
    void ended(ExportRun run, Throwable failure) {
        if (failure != null) {
            recorded.completeExceptionally(failure);
            ended.completeExceptionally(failure);
        } else {
            recorded.complete(run);
            ended.complete(run);
        }
    }
}
