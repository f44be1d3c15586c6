package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/sites/mes-check against a stand-in MES on loopback (a real HTTP server): it allows
 * serials starting "OK-", answers 404 for "NO-", 500 for "ERR-" and too late for "SLOW-".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesCheckExampleTest extends SiteTestSupport {

    private HttpServer mes;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    protected Path siteFolder() {
        return example("mes-check");
    }

    @Override
    protected void siteProperties(Properties properties) {
        properties.setProperty("pep.mes.url", "http://127.0.0.1:" + mes().getAddress().getPort() + "/api/allowed");
        properties.setProperty("pep.mes.timeout", "1000");
    }

    private synchronized HttpServer mes() {
        if (mes == null) {
            try {
                mes = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            mes.createContext("/api/allowed", exchange -> {
                String query = exchange.getRequestURI().getRawQuery();
                String serial = URLDecoder.decode(query.substring("serialNumber=".length()), StandardCharsets.UTF_8);
                asked.add(serial);
                int status = serial.startsWith("OK-") ? 200 : serial.startsWith("ERR-") ? 500 : 404;
                if (serial.startsWith("SLOW-")) {
                    sleep(3000);
                }
                byte[] body = (status == 200 ? "allowed" : "no").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Mes-Internal", "must not reach the gateway");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            mes.start();
        }
        return mes;
    }

    @AfterAll
    void stopMes() {
        mes.stop(0);
    }

    @Test
    @Order(1)
    void anAllowedSerialIsProvisionedAndTheSerialIsSentUrlEncoded() {
        String serial = "OK-A&B =+/é?#1";
        HttpResponse<String> response = get("/v3/identity?serialNumber=" + q(serial) + "&ip=127.0.0.1&port=7777");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(serial), asked, "the MES got the serial exactly, as one parameter");
        assertFalse(response.headers().firstValue("X-Mes-Internal").isPresent());
        assertEquals(1, identities().countDocuments(new Document("serialNumber", serial).append("deployed", true)));
    }

    @Test
    @Order(2)
    void aSerialTheMesDoesNotKnowIsRefusedWith403AndNothingHappens() {
        HttpResponse<String> response = get("/v3/identity?serialNumber=NO-1&ip=127.0.0.1&port=7777");
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("The factory MES does not allow serialNumber 'NO-1' to be provisioned\n", response.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "NO-1")), "nothing written");
        assertFalse(toolLogText().contains("NO-1"), "the factory tool was not run");
    }

    @Test
    @Order(3)
    void aFailingOrSlowMesAnswers503WithRetryAfter() {
        for (String serial : List.of("ERR-1", "SLOW-1")) {
            long start = System.nanoTime();
            HttpResponse<String> response = get("/v3/identity?serialNumber=" + serial + "&ip=127.0.0.1&port=7777");
            assertEquals(503, response.statusCode(), serial + ": " + response.body());
            assertTrue(response.body().contains("'" + serial + "'") && response.body().contains("retry later"),
                    response.body());
            assertEquals("30", response.headers().firstValue("Retry-After").orElse(null));
            assertTrue(System.nanoTime() - start < 2_900_000_000L, "pep.mes.timeout bounds the wait");
            assertEquals(0, identities().countDocuments(new Document("serialNumber", serial)));
            assertFalse(toolLogText().contains(serial), "the factory tool was not run");
        }
    }

    @Test
    @Order(4)
    void aMesThatIsDownAnswers503() {
        mes.stop(0);
        HttpResponse<String> response = get("/v3/identity?serialNumber=OK-WHILE-DOWN&ip=127.0.0.1&port=7777");
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("The factory MES could not be asked whether serialNumber "
                + "'OK-WHILE-DOWN' may be provisioned"), response.body());
        assertEquals(0, identities().countDocuments(new Document("serialNumber", "OK-WHILE-DOWN")));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
