package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The write that records a provisioned gateway survives a short MongoDB outage: advised to fail
 * its first attempts, it is redelivered with back-off; failing for good, the identity is kept in
 * the provisioning journal, the client gets it (200, record pending) and the replay records it.
 */
class RecordRetryTest extends PepTestSupport {

    private final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.mongo.write-retries", "3");
        properties.setProperty("pep.mongo.write-retry-delay", "20");
        // no heartbeat during the test: its journal replay writes past the injected outage, so the test
        // runs the replay itself once the outage is over
        properties.setProperty("pep.instance.heartbeat-interval", "3600000");
    }

    private void adviseAndStart() throws Exception {
        if (context.isStarted()) {
            return;
        }
        AdviceWith.adviceWith(context, "record-deployment", route -> route.weaveById("write-deployment")
                .before().process(exchange -> {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new MongoSocketWriteException("injected outage", new ServerAddress(), null);
                    }
                }));
        context.start();
    }

    @Test
    void aShortOutageIsRiddenOut() throws Exception {
        adviseAndStart();
        failuresLeft.set(2);

        HttpResponse<String> response = get("/v3/identity?serialNumber=SN-RETRY&ip=127.0.0.1&port=7777");

        assertEquals(200, response.statusCode(), response.body());
        Document record = identities().find(Filters.eq("serialNumber", "SN-RETRY")).first();
        assertEquals(true, record.getBoolean("deployed"));
        assertEquals(fakeEnrollmentId("SN-RETRY"), record.getString("enrollmentID"));
    }

    @Test
    void aLastingOutageKeepsTheIdentityInTheJournalAndRecordsItLater() throws Exception {
        adviseAndStart();
        failuresLeft.set(Integer.MAX_VALUE); // down until the test says otherwise

        HttpResponse<String> response = get("/v3/identity?serialNumber=SN-DOWN&ip=127.0.0.1&port=7777");

        // the gateway holds its identity: it gets it, with a note that the record is pending
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains(fakeEnrollmentId("SN-DOWN")), response.body());
        assertTrue(response.headers().firstValue("X-Pep-Record").orElse("").startsWith("pending"));
        String journal = Files.readString(dataDir().resolve("journal/identities.log"));
        assertTrue(journal.contains(fakeEnrollmentId("SN-DOWN")), journal);
        assertFalse(journal.contains("BEGIN"), "no certificate or key in the journal");
        // asked again while the record is still pending: the same identity, no second injection
        HttpResponse<String> again = get("/v3/identity?serialNumber=SN-DOWN&ip=127.0.0.1&port=7777");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains(fakeEnrollmentId("SN-DOWN")), again.body());

        // the store takes writes again: the journal replay (the heartbeat's) records it
        failuresLeft.set(0);
        assertEquals(1, context.getRegistry().lookupByNameAndType("journalReplay", JournalReplay.class).replay());
        Document record = identities().find(Filters.eq("serialNumber", "SN-DOWN")).first();
        assertTrue(record != null && Boolean.TRUE.equals(record.getBoolean("deployed")), String.valueOf(record));
        assertEquals(fakeEnrollmentId("SN-DOWN"), record.getString("enrollmentID"));
        assertFalse(record.containsKey("reservation"), "no reservation fields left: " + record.toJson());
        assertEquals(409, get("/v3/identity?serialNumber=SN-DOWN&ip=127.0.0.1&port=7777").statusCode(),
                "recorded now: provisioned once");
    }
}
