package io.pep.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v3/attempts} byte for byte as list-attempts and operators' scripts read it: the CSV
 * header and columns, commons-csv's default quoting (an absent value is an empty field, a reason
 * with a comma, quote or line break is quoted), CRLF, UTF-8; the JSON page's field order, ids as
 * hex and times as ISO-8601; the content types and Link header.
 */
class AttemptPageBytesTest extends PepTestSupport {

    private final ObjectId older = new ObjectId("65b000000000000000000001");
    private final ObjectId newer = new ObjectId("65b000000000000000000002");
    private boolean stored;

    @Override
    protected void overrideProperties(Properties properties) {
        // no purge of these old attempts while the test runs
        properties.setProperty("pep.attempts.retention", "36500d");
    }

    @BeforeEach
    void storeTwoAttempts() {
        if (stored) {
            return;
        }
        stored = true;
        MongoCollection<Document> attempts = context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class)
                .getDatabase("mbed_manufacturing_db").getCollection("provisioning_attempts");
        attempts.insertOne(new Document("_id", older).append("time", new Date(1700000000000L)).append("serialNumber", "Grüße ✓😀")
                .append("ip", "127.0.0.1").append("port", 7777).append("client", "127.0.0.1").append("outcome", "tool-failed")
                .append("status", 500).append("reason", "FCC said \"no\", twice\nthen hung up").append("fccReturnStatus", 25)
                .append("fccInfoMessage", "Item does not exist:mbed.UseBootstrap").append("toolExitCode", 1)
                .append("durationMs", 1234L).append("instance", "pep-a"));
        attempts.insertOne(new Document("_id", newer).append("time", new Date(1700000001000L)).append("serialNumber", "SN-2")
                .append("ip", "10.0.0.2").append("port", 7778).append("client", "10.0.0.9").append("outcome", "ok")
                .append("status", 200).append("durationMs", 20L).append("instance", "pep-a"));
    }

    @Test
    void csvPageByteForByte() {
        HttpResponse<byte[]> response = get("/v3/attempts?format=csv&limit=2", "*/*", HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("</v3/attempts?limit=2&last=" + older.toHexString() + "&format=csv>; rel=\"next\"",
                response.headers().firstValue("Link").orElse(""));
        assertEquals("time,serialNumber,ip,port,client,outcome,status,reason,fccReturnStatus,fccInfoMessage,toolExitCode,"
                + "durationMs,instance,token,_id\r\n"
                + "2023-11-14T22:13:21Z,SN-2,10.0.0.2,7778,10.0.0.9,ok,200,,,,,20,pep-a,," + newer.toHexString() + "\r\n"
                + "2023-11-14T22:13:20Z,Grüße ✓😀,127.0.0.1,7777,127.0.0.1,tool-failed,500,\"FCC said \"\"no\"\", twice\nthen hung up\","
                + "25,Item does not exist:mbed.UseBootstrap,1,1234,pep-a,," + older.toHexString() + "\r\n",
                new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyCsvPageIsTheHeaderLineAlone() {
        HttpResponse<String> response = get("/v3/attempts?serialNumber=nobody", "text/csv");
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("time,serialNumber,ip,port,client,outcome,status,reason,fccReturnStatus,fccInfoMessage,toolExitCode,"
                + "durationMs,instance,token,_id\r\n", response.body());
        assertFalse(response.headers().firstValue("Link").isPresent());
    }

    @Test
    void jsonPageByteForByte() {
        HttpResponse<byte[]> response = get("/v3/attempts?serialNumber=" + q("Grüße ✓😀"), "*/*",
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"_links\":{\"self\":{\"href\":\"/v3/attempts?limit=50&serialNumber=Gr%C3%BC%C3%9Fe+%E2%9C%93%F0%9F%98%80\"},"
                + "\"next\":{\"href\":\"/v3/attempts?limit=50&serialNumber=Gr%C3%BC%C3%9Fe+%E2%9C%93%F0%9F%98%80&last=" + older.toHexString() + "\"}},"
                + "\"results\":[{\"_id\":\"" + older.toHexString() + "\",\"time\":\"2023-11-14T22:13:20Z\",\"serialNumber\":\"Grüße ✓😀\","
                + "\"ip\":\"127.0.0.1\",\"port\":7777,\"client\":\"127.0.0.1\",\"outcome\":\"tool-failed\",\"status\":500,"
                + "\"reason\":\"FCC said \\\"no\\\", twice\\nthen hung up\",\"fccReturnStatus\":25,"
                + "\"fccInfoMessage\":\"Item does not exist:mbed.UseBootstrap\",\"toolExitCode\":1,\"durationMs\":1234,"
                + "\"instance\":\"pep-a\"}],\"total_count\":1,\"limit\":50}",
                new String(response.body(), StandardCharsets.UTF_8));
    }
}
