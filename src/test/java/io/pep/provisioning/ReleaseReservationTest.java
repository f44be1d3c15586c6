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
import org.junit.jupiter.api.Test;

/**
 * The release-reservation route (provision.camel.yaml): after a failed attempt the reservation is
 * removed so the serial can simply be retried. If the store refuses even that removal, the client
 * still gets the attempt's own answer, and the instance heartbeat removes the reservation later.
 */
class ReleaseReservationTest extends PepTestSupport {

    private final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.instance.heartbeat-interval", "200");
    }

    @Test
    void aReservationTheStoreWillNotRemoveNowIsRemovedByTheHeartbeat() throws Exception {
        AdviceWith.adviceWith(context, "release-reservation", route -> route.weaveById("remove-reservation")
                .before().process(exchange -> {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new MongoSocketWriteException("injected outage", new ServerAddress(), null);
                    }
                }));
        context.start();
        failuresLeft.set(1);

        // the fake tool fails for fail* serials: the answer is the tool's failure, not the store's
        HttpResponse<String> response = get("/v3/identity?serialNumber=fail-RELEASE&ip=127.0.0.1&port=7777");
        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("Provisioning of 'fail-RELEASE' failed"), response.body());
        assertEquals(0, failuresLeft.get(), "the removal was attempted once and refused");

        io.pep.Eventually.await("the heartbeat removed the reservation",
                () -> identities().find(Filters.eq("serialNumber", "fail-RELEASE")).first() == null);
        // the serial can be tried again: the tool runs again (500), no 409 for a leftover reservation
        HttpResponse<String> retry = get("/v3/identity?serialNumber=fail-RELEASE&ip=127.0.0.1&port=7777");
        assertEquals(500, retry.statusCode(), retry.body());
        assertTrue(retry.body().startsWith("Provisioning of 'fail-RELEASE' failed"), retry.body());
    }
}
