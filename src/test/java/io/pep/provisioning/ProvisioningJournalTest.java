package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** The journal on disk: what a restart reads back, a torn last line, compaction; the data folder's lock. */
class ProvisioningJournalTest {

    private static final String ID = "A-" + "AB:".repeat(31) + "AB";

    private static Reservation reservation(String serial) {
        return new Reservation(new ObjectId(), serial, new Document("serialNumber", serial).append("deployed", false),
                "incarnation-1", "pep", "incarnation-1/0", 1_700_000_000_000L);
    }

    @Test
    void anUnrecordedIdentitySurvivesARestartAndATornLastLine() throws Exception {
        Path dir = PepMain.tempDir("journal");
        Reservation recorded = reservation("SN-1");
        Reservation unrecorded = reservation("SN-2");
        try (ProvisioningJournal journal = new ProvisioningJournal(dir, 0)) {
            journal.injected(recorded, ID);
            journal.recorded(recorded);
            journal.injected(unrecorded, ID);
        }
        // a crash in the middle of writing a line that was never acknowledged
        Files.writeString(dir.resolve(ProvisioningJournal.FILE_NAME), "{\"event\":\"inj", StandardOpenOption.APPEND);

        try (ProvisioningJournal journal = new ProvisioningJournal(dir, 0)) {
            assertEquals(2, journal.unrecorded().size(), "at start every entry is checked against the store again");
            assertEquals(1, journal.pendingCount());
            Document record = journal.pendingRecord("SN-2");
            assertNotNull(record, "replayed after a restart, answered to a retry");
            assertEquals(unrecorded.id(), record.get("_id"));
            assertEquals(Boolean.TRUE, record.getBoolean("deployed"));
            assertEquals(ID, record.getString("enrollmentID"));
            assertEquals(1_700_000_000_000L, record.getLong("createdAt"));
            assertFalse(record.containsKey(InstanceLeases.RESERVATION), "no reservation bookkeeping in the record");
            assertNull(journal.pendingRecord("SN-1"));

            journal.recorded(unrecorded.id().toHexString()); // the replay wrote SN-2
            journal.recorded(recorded); // and found SN-1 in the store
            journal.compact();
            assertEquals("", Files.readString(dir.resolve(ProvisioningJournal.FILE_NAME), StandardCharsets.UTF_8),
                    "compacted once everything is recorded");
        }
    }

    @Test
    void aRecordedIdentityStaysForTheKeepWindow() throws Exception {
        Path dir = PepMain.tempDir("journal");
        Reservation record = reservation("SN-3");
        try (ProvisioningJournal journal = new ProvisioningJournal(dir, 60_000)) {
            journal.injected(record, ID);
            journal.recorded(record);
            journal.compact();
        }
        assertTrue(Files.readString(dir.resolve(ProvisioningJournal.FILE_NAME)).contains("SN-3"),
                "kept: a store may have acknowledged it before making it durable");
    }

    @Test
    void aSecondPepOnTheSameDataFolderIsRefused() {
        Path dir = PepMain.tempDir("instance");
        String dataDirId;
        try (Incarnation first = Incarnation.start(dir, "", 5151)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Incarnation.start(dir, "", 5151));
            assertTrue(refused.getMessage().contains("Another pep is running"), refused.getMessage());
            assertTrue(first.instanceName().endsWith(":5151"), first.instanceName());
            dataDirId = first.dataDirId();
        }
        try (Incarnation next = Incarnation.start(dir, "line-3", 5151)) {
            assertEquals("line-3", next.instanceName());
            assertEquals(dataDirId, next.dataDirId(), "the data folder keeps its id across restarts");
        }
    }
}
