package io.pep.export;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * mongo-java-server's in-memory store with a gate in front of a CSV drop's read of its records
 * ({@code {csvRun: <id>}}): once {@link #shut() shut}, the first such read waits until the test
 * {@link #open() opens} the gate (at most 10 s: the store serves other connections on the same
 * thread). A drop that is sure to be going on when pep is stopped.
 */
final class GatedStore extends MemoryBackend {

    private volatile boolean closed;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** The next drop's read of its records waits at the gate. */
    void shut() {
        closed = true;
    }

    void open() {
        opened.countDown();
    }

    /** A drop's read is waiting at the gate (or has passed it). */
    boolean reached(int seconds) throws InterruptedException {
        return reached.await(seconds, TimeUnit.SECONDS);
    }

    private void pass(QueryParameters query) {
        Object selector = query.getQuerySelector().getOrDefault("$query", query.getQuerySelector());
        if (closed && selector instanceof Document filter && filter.keySet().equals(Set.of(ExportRuns.claimField(ExportRuns.CSV)))) {
            closed = false;
            reached.countDown();
            try {
                opened.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String name) {
        return new MemoryDatabase(name, getCursorRegistry()) {
            @Override
            protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
                return new MemoryCollection(this, collectionName, options, cursorRegistry) {
                    @Override
                    public QueryResult handleQuery(QueryParameters query) {
                        pass(query);
                        return super.handleQuery(query);
                    }
                };
            }
        };
    }
}
