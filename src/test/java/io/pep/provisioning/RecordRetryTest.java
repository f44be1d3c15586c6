package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The write that records a provisioned gateway survives a short MongoDB outage: advised to fail
 * its first attempts, it is redelivered with back-off; failing for good, the client hears 503.
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
    void aLastingOutageAnswers503AndFreesTheSerial() throws Exception {
        adviseAndStart();
        failuresLeft.set(100);

        HttpResponse<String> response = get("/v3/identity?serialNumber=SN-DOWN&ip=127.0.0.1&port=7777");

        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", "SN-DOWN")),
                "the reservation was removed, so the serial can be retried");
        failuresLeft.set(0);
        assertEquals(200, get("/v3/identity?serialNumber=SN-DOWN&ip=127.0.0.1&port=7777").statusCode());
    }
}
