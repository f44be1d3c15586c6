package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A data folder pep must not start on: pep says why in one line naming the file, the cause and
 * what to do, and exits non-zero (a supervisor sees it; the JVM does not hang on). A lost store
 * file is told from a new folder by the folder's store-manifest.
 */
class DataFolderStartTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private static final Map<String, String> TOOL = Map.of("PEP_TOOL_EXECUTABLE", FAKE_TOOL.toString(),
            "PEP_JOURNAL_KEEP_RECORDED", "0");

    @Test
    void aStoreFileEmptiedOrDeletedAfterTheJournalWasCompactedStopsTheStart() throws Exception {
        Path dataDir = PepMain.tempDir("pep-lost-store");
        int port = PepMain.freePort();
        try (PepProcess pep = PepProcess.start(dataDir, port, TOOL)) {
            for (int i = 0; i < 13; i++) {
                assertEquals(200, pep.get("/v3/identity?serialNumber=LOST-" + i + "&ip=127.0.0.1&port=7777").statusCode());
            }
            Path journal = dataDir.resolve("journal").resolve(ProvisioningJournal.FILE_NAME);
            io.pep.Eventually.await("the heartbeat compacts the journal once everything is recorded",
                    () -> size(journal) == 0);
        }
        String instance = Files.readString(dataDir.resolve("instance-id")).strip();
        Path store = dataDir.resolve("mongo.mv");

        Files.write(store, new byte[0]); // : > data/mongo.mv
        assertRefused(dataDir, port, Map.of(), "the data folder " + dataDir.toAbsolutePath() + " held 13 identities (instance "
                + instance + "), but its store file mongo.mv is empty: restore it from a backup, or start with"
                + " pep.data.start-empty=true (PEP_DATA_START_EMPTY=true) to begin an empty store");
        Files.delete(store);
        assertRefused(dataDir, port, Map.of(), "the data folder " + dataDir.toAbsolutePath() + " held 13 identities (instance "
                + instance + "), but its store file mongo.mv is missing: restore it from a backup, or start with"
                + " pep.data.start-empty=true (PEP_DATA_START_EMPTY=true) to begin an empty store");
        assertTrue(!Files.exists(store), "a refused start leaves the folder as it was");

        try (PepProcess pep = PepProcess.start(dataDir, port, Map.of("PEP_DATA_START_EMPTY", "true"))) {
            assertEquals(404, pep.get("/v3/enrollment-id?serialNumber=LOST-3").statusCode(), "begun empty, as asked");
        }
        try (PepProcess pep = PepProcess.start(dataDir, port, Map.of())) {
            assertEquals(404, pep.get("/v3/enrollment-id?serialNumber=LOST-3").statusCode(),
                    "the empty start was recorded: no flag needed any more");
        }
    }

    @Test
    void randomBytesInTheJournalStopTheStartNamingIt() throws Exception {
        Path dataDir = PepMain.tempDir("pep-bad-journal");
        Path journal = dataDir.resolve("journal").resolve(ProvisioningJournal.FILE_NAME);
        Files.createDirectories(journal.getParent());
        byte[] noise = new byte[4096];
        new Random(20).nextBytes(noise);
        noise[0] = (byte) 0xC3; // not UTF-8, whatever the seed gives
        noise[1] = (byte) 0x28;
        noise[noise.length - 1] = '\n';
        Files.write(journal, noise);
        assertRefused(dataDir, PepMain.freePort(), Map.of(), "the provisioning journal " + journal.toAbsolutePath()
                + " is damaged at line 1 (not UTF-8 text): it may hold identities the store does not have yet; restore"
                + " the file from a backup, or move it away to start without it (pep then cannot record what only it held)");
    }

    @Test
    void aStoreFileTruncatedTo4KbStopsTheStartNamingIt() throws Exception {
        Path dataDir = PepMain.tempDir("pep-cut-store");
        int port = PepMain.freePort();
        try (PepProcess pep = PepProcess.start(dataDir, port, TOOL)) {
            assertEquals(200, pep.get("/v3/identity?serialNumber=CUT-1&ip=127.0.0.1&port=7777").statusCode());
        }
        Path store = dataDir.resolve("mongo.mv");
        try (FileChannel file = FileChannel.open(store, StandardOpenOption.WRITE)) {
            file.truncate(4096);
        }
        assertRefused(dataDir, port, Map.of(), "the store file " + store.toAbsolutePath() + " is damaged (it ends after 4096"
                + " bytes, in the middle of its data: the file was cut short): restore the data folder from a backup; keep"
                + " the damaged file for the analysis");
    }

    @Test
    void aSecondPepOnTheSameFolderIsRefusedInPepsOwnWords() throws Exception {
        Path dataDir = PepMain.tempDir("pep-two");
        try (PepProcess first = PepProcess.start(dataDir, PepMain.freePort(), Map.of())) {
            String line = assertRefused(dataDir, PepMain.freePort(), Map.of(), null);
            assertTrue(line.startsWith("Another pep is running on the data folder " + dataDir.toAbsolutePath() + " ("), line);
            assertTrue(line.endsWith("give each pep instance its own pep.data.dir"), line);
            assertEquals(404, first.get("/v3/enrollment-id?serialNumber=TWO-1").statusCode(), "the first one serves on");
        }
    }

    /** pep exited non-zero with one line saying why ({@code expected}, when given); returns that line. */
    private static String assertRefused(Path dataDir, int port, Map<String, String> environment, String expected)
            throws Exception {
        PepProcess.Refusal refusal = PepProcess.refusedStart(dataDir, port, environment);
        assertNotEquals(0, refusal.exitCode(), refusal.output());
        List<String> lines = refusal.output().lines().filter(l -> l.startsWith("pep did not start: ")).toList();
        assertEquals(1, lines.size(), refusal.output());
        String line = lines.get(0).substring("pep did not start: ".length());
        if (expected != null) {
            assertEquals(expected, line);
        }
        assertTrue(!refusal.output().contains("Error during post processing of bean"), refusal.output());
        return line;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
