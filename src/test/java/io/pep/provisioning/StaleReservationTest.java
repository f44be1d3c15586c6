package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.util.Properties;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** A reservation left by a run that died (crash, kill -9) is swept, so its serial can be provisioned. */
class StaleReservationTest extends PepTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.reservation.stale-after", "60000");
        properties.setProperty("pep.reservation.sweep-interval", "200");
    }

    @Test
    void onlyReservationsOlderThanTheLimitAreSwept() throws Exception {
        long now = System.currentTimeMillis();
        identities().insertOne(new Document("serialNumber", "SN-CRASHED").append("deployed", false)
                .append("createdAt", now - 120_000));
        identities().insertOne(new Document("serialNumber", "SN-IN-FLIGHT").append("deployed", false)
                .append("createdAt", now));
        identities().insertOne(new Document("serialNumber", "SN-OLD-DEPLOYED").append("deployed", true)
                .append("enrollmentID", fakeEnrollmentId("SN-OLD-DEPLOYED")).append("createdAt", now - 120_000));

        io.pep.Eventually.await("the old reservation is swept",
                () -> identities().countDocuments(Filters.eq("serialNumber", "SN-CRASHED")) == 0);
        assertEquals(200, get("/v3/identity?serialNumber=SN-CRASHED&ip=127.0.0.1&port=7777").statusCode());
        assertEquals(409, get("/v3/identity?serialNumber=SN-IN-FLIGHT&ip=127.0.0.1&port=7777").statusCode(),
                "a recent reservation belongs to a run that may still be going");
        assertEquals(1, identities().countDocuments(Filters.eq("serialNumber", "SN-OLD-DEPLOYED")),
                "deployed gateways are never swept");
    }
}
