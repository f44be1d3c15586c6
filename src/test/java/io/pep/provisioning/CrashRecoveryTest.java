package io.pep.provisioning;

import static io.pep.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.pep.PepMain;
import io.pep.store.EmbeddedMongo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real pep processes killed with SIGKILL mid-provisioning, two peps sharing one MongoDB, and a
 * MongoDB that goes away after the factory tool succeeded. The store is a mongo-java-server in
 * this JVM (its H2 file survives its own restart), reached by pep over TCP like any MongoDB; the
 * factory tool is {@code blocking-tool}, which waits for the test's go.
 */
class CrashRecoveryTest {

    private static final String PROVISION = "/v3/identity?ip=127.0.0.1&port=7777&serialNumber=";
    private static final int LONG_LEASE_MS = 5000;

    private final Path blockDir = PepMain.tempDir("block");
    private final Path storeDir = PepMain.tempDir("store");
    private final int storePort = PepMain.freePort();
    private EmbeddedMongo store = EmbeddedMongo.start(storeDir, storePort);
    private final MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + storePort
            + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000");
    private final java.util.List<PepProcess> peps = new java.util.ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        PepProcess.touch(blockDir.resolve("release"));
        for (PepProcess pep : peps) {
            pep.close();
        }
        client.close();
        if (store != null) {
            store.close();
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MONGO_URI", "mongodb://127.0.0.1:" + storePort + "/mbed_manufacturing_db");
        env.put("PEP_TOOL_ENV", "BLOCK_DIR=" + blockDir);
        env.put("PEP_TOOL_TIMEOUT", "120000");
        env.put("PEP_INSTANCE_LEASE", "1500");
        env.put("PEP_INSTANCE_HEARTBEAT_INTERVAL", "250");
        return env;
    }

    private PepProcess start(Path dataDir, int port, Map<String, String> env) throws Exception {
        PepProcess pep = PepProcess.start(dataDir, port, env);
        peps.add(pep);
        return pep;
    }

    private MongoCollection<Document> records() {
        return client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
    }

    private Document record(String serial) {
        return records().find(Filters.eq("serialNumber", serial)).first();
    }

    private void awaitToolStarted(String serial) {
        await("the factory tool started for " + serial, () -> Files.exists(blockDir.resolve("started-" + serial)));
    }

    private static int status(PepProcess pep, String serial) {
        try {
            return pep.get(PROVISION + serial).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSerialLeftByAKilledPepIsProvisionableAsSoonAsItIsBack() throws Exception {
        Path dataDir = PepMain.tempDir("pep-crash");
        int port = PepMain.freePort();
        PepProcess pep = start(dataDir, port, environment());
        pep.getAsync(PROVISION + "SN-CRASH");
        awaitToolStarted("SN-CRASH");
        assertEquals(Boolean.FALSE, record("SN-CRASH").getBoolean("deployed"), "reserved while the tool runs");

        pep.kill();
        PepProcess.touch(blockDir.resolve("release"));
        PepProcess restarted = start(dataDir, port, environment());

        // on the first answer already, at most a few seconds later (today: 409 for ~10 min)
        await("the serial is provisionable again after the restart", () -> status(restarted, "SN-CRASH") == 200);
        Document record = record("SN-CRASH");
        assertEquals(Boolean.TRUE, record.getBoolean("deployed"));
        assertEquals(enrollmentId("SN-CRASH"), record.getString("enrollmentID"));
        assertFalse(record.containsKey("reservation"), record.toJson());
    }

    @Test
    void aSecondPepTakesOverAReservationOnlyAfterItsOwnersLeaseLapsed() throws Exception {
        // a lease long enough that A's heartbeats keep it on a busy machine too
        Map<String, String> env = environment();
        env.put("PEP_INSTANCE_LEASE", String.valueOf(LONG_LEASE_MS));
        PepProcess a = start(PepMain.tempDir("pep-a"), PepMain.freePort(), env);
        PepProcess b = start(PepMain.tempDir("pep-b"), PepMain.freePort(), env);
        a.getAsync(PROVISION + "SN-LEASE");
        awaitToolStarted("SN-LEASE");
        Document reservation = record("SN-LEASE");

        // A lives on through two of its leases: all along, B leaves its reservation alone
        long until = System.nanoTime() + Duration.ofMillis(2 * LONG_LEASE_MS).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(409, status(b, "SN-LEASE"), "B does not steal a live reservation");
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertEquals(reservation, record("SN-LEASE"), "A's reservation is untouched");

        a.kill();
        PepProcess.touch(blockDir.resolve("release"));
        // once A's lease lapsed (not after the ~10 min a stale reservation waits)
        await("B takes the serial over once A's lease lapsed", () -> status(b, "SN-LEASE") == 200);
        assertEquals(Boolean.TRUE, record("SN-LEASE").getBoolean("deployed"));
    }

    @Test
    void anIdentityInjectedWhileTheStoreIsDownIsAnsweredJournaledAndRecordedLater() throws Exception {
        Path dataDir = PepMain.tempDir("pep-outage");
        Map<String, String> env = environment();
        env.put("PEP_MONGO_TIMEOUT_MS", "500");
        env.put("PEP_MONGO_WRITE_RETRIES", "1");
        env.put("PEP_MONGO_WRITE_RETRY_DELAY", "50");
        env.put("PEP_JOURNAL_KEEP_RECORDED", "500");
        PepProcess pep = start(dataDir, PepMain.freePort(), env);
        CompletableFuture<HttpResponse<String>> answer = pep.getAsync(PROVISION + "SN-OUTAGE");
        awaitToolStarted("SN-OUTAGE");

        store.close();
        store = null;
        PepProcess.touch(blockDir.resolve("release"));
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);

        // truthful: the gateway has its identity, the record is pending
        String id = enrollmentId("SN-OUTAGE");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"enrollmentID\":\"" + id + "\""), response.body());
        assertTrue(response.headers().firstValue("X-Pep-Record").orElse("").startsWith("pending"),
                response.headers().map().toString());
        Path journal = dataDir.resolve("journal/identities.log");
        assertTrue(Files.readString(journal).contains(id), "journaled");
        HttpResponse<String> retry = pep.get(PROVISION + "SN-OUTAGE");
        assertEquals(200, retry.statusCode(), "a retry gets the identity, not 409: " + retry.body());
        assertTrue(retry.body().contains(id), retry.body());

        store = EmbeddedMongo.start(storeDir, storePort);
        await("recorded from the journal once the store is back", () -> {
            Document record = record("SN-OUTAGE");
            return record != null && Boolean.TRUE.equals(record.getBoolean("deployed"));
        });
        assertEquals(id, record("SN-OUTAGE").getString("enrollmentID"));
        await("the journal is compacted once the entry is recorded", () -> !read(journal).contains(id));
        assertEquals(409, status(pep, "SN-OUTAGE"), "recorded: provisioned once");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enrollmentId(String serial) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(serial.getBytes(StandardCharsets.UTF_8));
        return "A-" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}
