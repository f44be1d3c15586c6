package io.pep.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.support.TypeConverterSupport;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v3/enrollment-ids} byte for byte, as old scripts and pep-cli parse it (SPEC §1, §6):
 * the CSV header, RFC 4180 quoting (a value with a quote, comma or line break, or starting with a
 * space or '#', or an empty first column, is quoted), CRLF line ends, UTF-8; the HAL JSON's field
 * names and order; the exact content types and Link header. Written out by hand here so a change of
 * the library that renders them cannot change them unseen.
 */
class ListingBytesTest extends PepTestSupport {

    private final ObjectId first = new ObjectId("65a000000000000000000001");
    private final ObjectId second = new ObjectId("65a000000000000000000002");
    private final ObjectId third = new ObjectId("65a000000000000000000003");
    private boolean stored;

    @BeforeEach
    void storeThreeAwkwardRecords() {
        if (stored) {
            return;
        }
        stored = true;
        identities().insertOne(new Document("_id", first).append("serialNumber", "SN \"quoted\", comma")
                .append("deployed", true).append("hardwareVersion", "hw\nline2").append("radioConfig", "#00")
                .append("ledConfig", "01").append("category", "production").append("cloudAddress", "https://gw")
                .append("apiAddress", "https://api").append("gatewayServicesAddress", "https://gw")
                .append("enrollmentID", "A-1").append("createdAt", 1700000000000L).append("verificationKey", "secret"));
        identities().insertOne(new Document("_id", second).append("serialNumber", "Grüße ✓😀").append("deployed", true)
                .append("radioConfig", " 00").append("ledConfig", "01").append("category", "production")
                .append("apiAddress", "https://api").append("gatewayServicesAddress", "https://gw")
                .append("enrollmentID", "").append("createdAt", 1700000000001L));
        identities().insertOne(new Document("_id", third).append("serialNumber", "plain").append("deployed", true)
                .append("createdAt", 1700000000002L));
        identities().insertOne(new Document("serialNumber", "reserved").append("deployed", false).append("createdAt", 1L));
    }

    @Test
    void csvPageByteForByte() {
        HttpResponse<byte[]> response = get("/v3/enrollment-ids?limit=3&format=csv", "*/*", HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("</v3/enrollment-ids?limit=3&last=" + first.toHexString() + "&format=csv>; rel=\"next\"",
                response.headers().firstValue("Link").orElse(""));
        String expected = "enrollmentID,serialNumber,gatewayServicesAddress,apiAddress,hardwareVersion,radioConfig,"
                + "ledConfig,category,deployed,createdAt\r\n"
                + "\"\",plain,,,,,,,true,1700000000002\r\n"
                + "\"\",Grüße ✓😀,https://gw,https://api,,\" 00\",01,production,true,1700000000001\r\n"
                + "A-1,\"SN \"\"quoted\"\", comma\",https://gw,https://api,\"hw\nline2\",\"#00\",01,production,true,1700000000000\r\n";
        assertEquals(expected, new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, response.body().length);
    }

    /**
     * camel-csv asks Camel's type converters for a Map per row before it takes a List. Rows handed
     * over as Lists missed that lookup, and each miss went through the whole converter registry, down
     * to its fallback converters (45 of the 60 ms of a page of 1000 at 1M records). A fallback
     * converter that counts what reaches it sees no row of a page.
     */
    @Test
    void aCsvPageSendsNoRowThroughTheTypeConverterRegistry() {
        AtomicInteger rowsLookedUp = new AtomicInteger();
        context.getTypeConverterRegistry().addFallbackTypeConverter(new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                if (type == Map.class && value instanceof List) {
                    rowsLookedUp.incrementAndGet();
                }
                return null; // no conversion: the registry goes on as without this converter
            }
        }, false);
        assertEquals(200, get("/v3/enrollment-ids?limit=3&format=csv", "*/*").statusCode());
        assertEquals(200, get("/v3/attempts?limit=3&format=csv", "*/*").statusCode());
        assertEquals(0, rowsLookedUp.get(), "CSV rows that went through the type converters");
    }

    @Test
    void anEmptyCsvPageIsTheHeaderLineAlone() {
        HttpResponse<String> response = get("/v3/enrollment-ids?order=ASC&last=" + third.toHexString(), "text/csv");
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("enrollmentID,serialNumber,gatewayServicesAddress,apiAddress,hardwareVersion,radioConfig,"
                + "ledConfig,category,deployed,createdAt\r\n", response.body());
        assertFalse(response.headers().firstValue("Link").isPresent());
    }

    @Test
    void jsonPageByteForByte() {
        HttpResponse<byte[]> response = get("/v3/enrollment-ids?limit=2&order=asc", "*/*", HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertFalse(response.headers().firstValue("Link").isPresent());
        String expected = "{\"_links\":{\"self\":{\"href\":\"/v3/enrollment-ids?limit=2&order=ASC\"},"
                + "\"next\":{\"href\":\"/v3/enrollment-ids?limit=2&order=ASC&last=" + second.toHexString() + "\"}},"
                + "\"results\":[{\"serialNumber\":\"SN \\\"quoted\\\", comma\",\"deployed\":true,\"hardwareVersion\":\"hw\\nline2\","
                + "\"radioConfig\":\"#00\",\"ledConfig\":\"01\",\"category\":\"production\",\"cloudAddress\":\"https://gw\","
                + "\"apiAddress\":\"https://api\",\"gatewayServicesAddress\":\"https://gw\",\"enrollmentID\":\"A-1\","
                + "\"createdAt\":1700000000000,\"_id\":\"" + first.toHexString() + "\"},"
                + "{\"serialNumber\":\"Grüße ✓😀\",\"deployed\":true,\"radioConfig\":\" 00\",\"ledConfig\":\"01\","
                + "\"category\":\"production\",\"apiAddress\":\"https://api\",\"gatewayServicesAddress\":\"https://gw\","
                + "\"enrollmentID\":\"\",\"createdAt\":1700000000001,\"_id\":\"" + second.toHexString() + "\"}],"
                + "\"total_count\":2,\"limit\":2,\"order\":\"ASC\"}";
        assertEquals(expected, new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyJsonPageHasNoNextLink() {
        HttpResponse<String> response = get("/v3/enrollment-ids?last=" + first.toHexString());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"_links\":{\"self\":{\"href\":\"/v3/enrollment-ids?limit=50&last=" + first.toHexString() + "\"}},"
                + "\"results\":[],\"total_count\":0,\"limit\":50,\"order\":\"DESC\"}", response.body());
    }
}
