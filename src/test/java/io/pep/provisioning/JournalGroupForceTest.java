package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The journal's group fsync: an injection whose fsync runs beside the store write is durable once
 * {@code awaitDurable} returns, concurrent injections share fsyncs (never more fsyncs than lines),
 * compaction does not rewrite the file for a few recorded entries but forgets them, and what was
 * written comes back after a restart.
 */
class JournalGroupForceTest {

    private static final String ID = "A-" + "CD:".repeat(31) + "CD";

    private static Reservation reservation(String serial) {
        return new Reservation(new ObjectId(), serial, new Document("serialNumber", serial).append("deployed", false),
                "incarnation-1", "pep", "incarnation-1/0", 1_700_000_000_000L);
    }

    @Test
    void concurrentInjectionsAreDurableOnReturnAndShareFsyncs() throws Exception {
        Path dir = PepMain.tempDir("journal-group");
        int injections = 64;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (ProvisioningJournal journal = new ProvisioningJournal(dir, 0)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < injections; i++) {
                Reservation record = reservation("GROUP-" + i);
                done.add(pool.submit(() -> {
                    journal.injectedForcing(record, ID);
                    journal.awaitDurable(record);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            assertTrue(journal.forces() >= 1 && journal.forces() <= injections, "fsyncs: " + journal.forces());
            assertEquals(injections, journal.pendingCount());
            assertNull(journal.pendingRecord("GROUP-1"), "not flagged: the request is still recording it");
            String text = Files.readString(dir.resolve(ProvisioningJournal.FILE_NAME));
            for (int i = 0; i < injections; i++) {
                assertTrue(text.contains("\"GROUP-" + i + "\""), "line of GROUP-" + i);
            }
        } finally {
            pool.shutdown();
        }
        try (ProvisioningJournal journal = new ProvisioningJournal(dir, 0)) {
            assertEquals(injections, journal.unrecorded().size(), "all read back, to be checked against the store");
            assertNotNull(journal.pendingRecord("GROUP-63"), "answered to a retry after the restart");
        }
    }

    @Test
    void compactionForgetsRecordedEntriesAndRewritesOnlyAMostlyDeadFile() throws Exception {
        Path dir = PepMain.tempDir("journal-compact");
        try (ProvisioningJournal journal = new ProvisioningJournal(dir, 0)) {
            Reservation live = reservation("LIVE");
            journal.injected(live, ID);
            for (int i = 0; i < 10; i++) {
                Reservation record = reservation("DONE-" + i);
                journal.injected(record, ID);
                journal.recorded(record);
            }
            long size = Files.size(dir.resolve(ProvisioningJournal.FILE_NAME));
            journal.compact();
            assertEquals(size, Files.size(dir.resolve(ProvisioningJournal.FILE_NAME)), "21 lines for 1 live entry: not rewritten yet");
            assertEquals(1, journal.pendingCount());
            journal.recorded(live);
            journal.compact();
            assertEquals(0, Files.size(dir.resolve(ProvisioningJournal.FILE_NAME)), "nothing live: rewritten empty");
        }
    }
}
