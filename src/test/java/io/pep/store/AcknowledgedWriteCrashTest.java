package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged write survives {@code kill -9}. A child JVM writes through the
 * driver to the embedded store; the moment it has acknowledged a record it is killed (SIGKILL);
 * the store reopened on the same folder must hold every acknowledged record. Stock
 * mongo-java-server wrote only in MVStore's auto-commit (about once a second) and lost them.
 */
class AcknowledgedWriteCrashTest {

    @Test
    void everyAcknowledgedWriteSurvivesAKill9() throws Exception {
        Path dataDir = Files.createTempDirectory("pep-crash");
        for (int round = 0; round < 4; round++) {
            // alternate the acknowledgement being killed: the first of a fresh JVM, or one after a few
            int killAfter = round % 2 == 0 ? 0 : 25;
            String prefix = "SN-R" + round + "-";
            int acknowledged = writeUntilKilled(dataDir, prefix, killAfter, round < 2);
            try (EmbeddedMongo store = EmbeddedMongo.start(dataDir, 0);
                    MongoClient client = MongoClients.create(store.connectionString())) {
                MongoCollection<Document> records = client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
                for (int n = 0; n <= acknowledged; n++) {
                    assertNotNull(records.find(new Document("serialNumber", prefix + n)).first(),
                            "round " + round + ": record " + n + " of " + acknowledged + " acknowledged before kill -9 is lost");
                }
            }
        }
    }

    /** Runs the writer until it acknowledged record {@code killAfter}, kills it at once; the last acknowledged number. */
    private static int writeUntilKilled(Path dataDir, String prefix, int killAfter, boolean fsync) throws Exception {
        Process writer = new ProcessBuilder(io.pep.ChildJvm.command(List.of(),
                AcknowledgedWriter.class.getName(), dataDir.toString(), prefix, String.valueOf(fsync)))
                .redirectError(new File(dataDir.toFile(), "writer-" + prefix + "err.log"))
                .start();
        int last = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    last = Integer.parseInt(line.substring(4).trim());
                    if (last >= killAfter) {
                        writer.destroyForcibly(); // SIGKILL, right after the acknowledgement
                        break;
                    }
                }
            }
        } finally {
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the writer exits");
        }
        assertTrue(last >= killAfter, "the writer acknowledged records (see " + dataDir + "/writer-" + prefix + "err.log)");
        assertEquals(137, writer.exitValue(), "killed by SIGKILL");
        return last;
    }
}
