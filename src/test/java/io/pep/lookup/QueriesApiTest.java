package io.pep.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** enrollment-id, verification-key and the enrollment-ids pages (HAL JSON and CSV). */
class QueriesApiTest extends PepTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERIALS = List.of("Q-1", "Q-2", "Q-3", "Q-4", "Q-5");

    private boolean provisioned;

    @BeforeEach
    void provisionFiveGatewaysAndOneReservation() {
        if (provisioned) {
            return;
        }
        provisioned = true;
        for (String serial : SERIALS) {
            String key = serial.equals("Q-2") ? "&verificationKey=key-of-q2" : "";
            assertEquals(200, get("/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777" + key).statusCode());
        }
        identities().insertOne(new Document("serialNumber", "Q-PENDING").append("deployed", false)
                .append("enrollmentID", "A-00").append("verificationKey", "k").append("createdAt", 1L));
    }

    @Test
    void enrollmentIdOfADeployedGateway() {
        HttpResponse<String> response = get("/v3/enrollment-id?serialNumber=Q-3");
        assertEquals(200, response.statusCode());
        assertEquals(fakeEnrollmentId("Q-3"), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(fakeEnrollmentId("Q-3"), get("/enrollment-id?serialNumber=Q-3").body());
    }

    @Test
    void enrollmentIdRefusals() {
        assertEquals(400, get("/v3/enrollment-id").statusCode());
        assertEquals(400, get("/v3/enrollment-id?serialNumber=").statusCode());
        HttpResponse<String> unknown = get("/v3/enrollment-id?serialNumber=NOPE");
        assertEquals(404, unknown.statusCode());
        assertEquals("Not found!", unknown.body().trim());
        assertEquals(404, get("/v3/enrollment-id?serialNumber=Q-PENDING").statusCode(), "not deployed yet");
        assertEquals(400, get("/v3/enrollment-id?serialNumber%5B%24ne%5D=x").statusCode(),
                "an operator-shaped parameter is just an unknown name: serialNumber is missing");
    }

    @Test
    void verificationKey() {
        assertEquals("key-of-q2", get("/v3/verification-key?serialNumber=Q-2").body());
        assertEquals(404, get("/v3/verification-key?serialNumber=Q-1").statusCode(), "none was given");
        assertEquals(404, get("/v3/verification-key?serialNumber=Q-PENDING").statusCode());
        assertEquals(400, get("/verification-key").statusCode());
    }

    @Test
    void firstPageIsNewestFirstWithHalLinks() throws Exception {
        JsonNode page = JSON.readTree(get("/v3/enrollment-ids?limit=2").body());

        assertEquals(List.of("Q-5", "Q-4"), serials(page));
        assertEquals(2, page.get("total_count").asInt());
        assertEquals(2, page.get("limit").asInt());
        assertEquals("DESC", page.get("order").asText());
        assertEquals("/v3/enrollment-ids?limit=2", page.at("/_links/self/href").asText());
        String lastId = page.at("/results/1/_id").asText();
        assertEquals("/v3/enrollment-ids?limit=2&last=" + lastId, page.at("/_links/next/href").asText());
        assertNull(page.at("/results/0").get("verificationKey"));
        assertEquals(fakeEnrollmentId("Q-5"), page.at("/results/0/enrollmentID").asText());
    }

    @Test
    void followingNextLinksWalksEveryDeployedGatewayOnce() throws Exception {
        for (String order : List.of("DESC", "asc")) {
            List<String> seen = new ArrayList<>();
            String href = "/v3/enrollment-ids?limit=2&order=" + order;
            for (int pages = 0; href != null && pages < 10; pages++) {
                JsonNode page = JSON.readTree(get(href).body());
                seen.addAll(serials(page));
                href = page.at("/_links/next").isMissingNode() ? null : page.at("/_links/next/href").asText();
            }
            List<String> expected = new ArrayList<>(SERIALS);
            if (order.equals("DESC")) {
                java.util.Collections.reverse(expected);
            }
            assertEquals(expected, seen, order);
        }
    }

    @Test
    void anEmptyPageHasNoNextLink() throws Exception {
        JsonNode first = JSON.readTree(get("/v3/enrollment-ids?order=ASC").body());
        String lastId = first.at("/results/4/_id").asText();
        JsonNode empty = JSON.readTree(get("/v3/enrollment-ids?order=ASC&last=" + lastId).body());
        assertEquals(0, empty.get("results").size());
        assertTrue(empty.at("/_links/next").isMissingNode());
        assertEquals(0, empty.get("total_count").asInt());
    }

    @Test
    void limitIsClampedAndJunkFallsBack() throws Exception {
        assertEquals(1000, JSON.readTree(get("/v3/enrollment-ids?limit=5000").body()).get("limit").asInt());
        assertEquals(1000, JSON.readTree(get("/v3/enrollment-ids?limit=99999999999999").body()).get("limit").asInt());
        assertEquals(50, JSON.readTree(get("/v3/enrollment-ids?limit=abc").body()).get("limit").asInt());
        assertEquals(50, JSON.readTree(get("/v3/enrollment-ids?limit=0").body()).get("limit").asInt());
        assertEquals(50, JSON.readTree(get("/v3/enrollment-ids").body()).get("limit").asInt());
        assertEquals(5, JSON.readTree(get("/enrollment-ids").body()).get("results").size(), "reservations are not listed");
        assertEquals(400, get("/v3/enrollment-ids?last=not-an-id").statusCode());
    }

    @Test
    void csvRepresentationWithNextLinkHeader() {
        for (HttpResponse<String> response : List.of(get("/v3/enrollment-ids?limit=2&format=csv"),
                get("/v3/enrollment-ids?limit=2", "text/csv"))) {
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            List<String> lines = response.body().lines().toList();
            assertEquals("enrollmentID,serialNumber,gatewayServicesAddress,apiAddress,hardwareVersion,radioConfig,"
                    + "ledConfig,category,deployed,createdAt", lines.get(0));
            assertEquals(3, lines.size());
            assertTrue(lines.get(1).startsWith(fakeEnrollmentId("Q-5") + ",Q-5,https://gateways.us-east-1.mbedcloud.com,"),
                    lines.get(1));
            String link = response.headers().firstValue("Link").orElse("");
            assertTrue(link.matches("</v3/enrollment-ids\\?limit=2&last=[0-9a-f]{24}&format=csv>; rel=\"next\""), link);
        }
        HttpResponse<String> csvEmpty = get("/v3/enrollment-ids?format=csv&order=ASC&last=ffffffffffffffffffffffff");
        assertEquals(1, csvEmpty.body().lines().count(), "header only");
        assertFalse(csvEmpty.headers().firstValue("Link").isPresent());
    }

    private static List<String> serials(JsonNode page) {
        List<String> serials = new ArrayList<>();
        page.get("results").forEach(entry -> serials.add(entry.get("serialNumber").asText()));
        return serials;
    }
}
