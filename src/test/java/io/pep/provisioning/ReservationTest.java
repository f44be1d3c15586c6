package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pep.identity.QueryParameters;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** A provisioning attempt's state is values: no step can change what a later step reads. */
class ReservationTest {

    private static final String ID = "A-" + "EF:".repeat(31) + "EF";

    private static IdentityRequest request() {
        return new IdentityRequest.Validator(new IdentityRequest.Defaults("https://api", "https://gw", "hw", "00", "01",
                "production")).validate(QueryParameters.parse("serialNumber=SN-R&ip=127.0.0.1&port=7777&verificationKey=k"));
    }

    @Test
    void whatAReaderChangesNeverReachesTheRequestOrTheReservation() {
        IdentityRequest request = request();
        request.getRecord().put("hardwareVersion", "changed by a hook");
        Reservation reservation = Reservation.of(request, "incarnation-1", "pep-a", "incarnation-1/3");
        assertEquals("hw", reservation.fields().getString("hardwareVersion"));

        reservation.toInsert().put("serialNumber", "OTHER");
        reservation.fields().put("serialNumber", "OTHER");
        reservation.deployed(ID).put("enrollmentID", "A-other");
        assertEquals("SN-R", reservation.toInsert().getString("serialNumber"));
        assertEquals(ID, reservation.deployed(ID).getString("enrollmentID"));
    }

    @Test
    void theInsertIsOwnedTheDeployedRecordIsNotAndBothShareIdAndCreatedAt() {
        Reservation reservation = Reservation.of(request(), "incarnation-1", "pep-a", "incarnation-1/3");
        Document insert = reservation.toInsert();
        Document deployed = reservation.deployed(ID);
        assertEquals(List.of("_id", "serialNumber", "deployed", "hardwareVersion", "radioConfig", "ledConfig", "category",
                "cloudAddress", "apiAddress", "gatewayServicesAddress", "verificationKey", "createdAt", InstanceLeases.OWNER,
                InstanceLeases.OWNER_NAME, InstanceLeases.RESERVATION), List.copyOf(insert.keySet()));
        assertEquals(false, insert.getBoolean("deployed"));
        assertEquals("incarnation-1/3", insert.getString(InstanceLeases.RESERVATION));

        assertEquals(true, deployed.getBoolean("deployed"));
        assertFalse(deployed.containsKey(InstanceLeases.OWNER) || deployed.containsKey(InstanceLeases.RESERVATION));
        assertEquals(insert.get("_id"), deployed.get("_id"));
        assertEquals(insert.get("createdAt"), deployed.get("createdAt"));
        assertEquals(reservation.byId(), new Document("_id", insert.get("_id")));
        assertNotEquals(reservation.id(), Reservation.of(request(), "incarnation-1", "pep-a", "incarnation-1/4").id());
    }

    @Test
    void theDeploymentUpdateSetsTheRecordAndDropsTheLease() {
        Reservation reservation = Reservation.of(request(), "incarnation-1", "pep-a", "incarnation-1/3");
        var update = new Reservations(60_000).deployed(reservation, ID);
        assertEquals(reservation.byId(), update.get(0));
        Document set = ((Document) update.get(1)).get("$set", Document.class);
        assertFalse(set.containsKey("_id"));
        assertEquals(ID, set.getString("enrollmentID"));
        assertEquals(List.of(InstanceLeases.OWNER, InstanceLeases.OWNER_NAME, InstanceLeases.RESERVATION),
                List.copyOf(((Document) update.get(1)).get("$unset", Document.class).keySet()));
    }
}
