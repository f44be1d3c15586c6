package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/**
 * examples/sites/upload-every-15-minutes with its own properties against a stand-in portal on
 * loopback (a real HTTP server: bulk upload, then 'completed' on the first poll); the API key
 * comes as the example says, apart from the file, and the cron fires every second here.
 */
class UploadEvery15MinutesExampleTest extends SiteTestSupport {

    private static final String API_KEY = "ak_site_example";
    private HttpServer portal;
    private final List<String> uploads = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @Override
    protected Path siteFolder() {
        return example("upload-every-15-minutes");
    }

    @Override
    protected void siteProperties(Properties properties) {
        properties.setProperty("pep.portal.url", "http://127.0.0.1:" + portal().getAddress().getPort());
        properties.setProperty("pep.portal.api-key", API_KEY);
        properties.setProperty("pep.portal.poll.delay", "100");
        properties.setProperty("pep.export.upload.cron", "0/1 * * * * ?");
    }

    private synchronized HttpServer portal() {
        if (portal == null) {
            try {
                portal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            portal.createContext("/v3/device-enrollments-bulk-uploads", exchange -> {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                String status = "processing";
                int code = 200;
                if ("POST".equals(exchange.getRequestMethod())) {
                    uploads.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    status = "new";
                    code = 201;
                } else {
                    status = "completed";
                }
                int n = uploads.size();
                byte[] body = ("{\"object\":\"enrollment-identity-bulk-uploads\",\"id\":\"bulk" + n + "\",\"status\":\""
                        + status + "\",\"total_count\":1,\"processed_count\":" + ("completed".equals(status) ? 1 : 0)
                        + ",\"errors_count\":0}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(code, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            portal.start();
        }
        return portal;
    }

    @AfterAll
    void stopPortal() {
        portal.stop(0);
    }

    @Test
    void theExampleUploadsEvery15Minutes() throws Exception {
        Properties example = NightlyCsvDropExampleTest.exampleProperties("upload-every-15-minutes");
        CronExpression cron = new CronExpression(example.getProperty("pep.export.upload.cron"));
        Date next = cron.getNextValidTimeAfter(new Date());
        assertEquals(15 * 60 * 1000L, cron.getNextValidTimeAfter(next).getTime() - next.getTime());
        assertEquals("true", example.getProperty("pep.export.upload.enabled"));
        assertTrue(example.getProperty("pep.portal.api-key") == null, "the key stays out of the file");
    }

    @Test
    void aProvisionedGatewaysEnrollmentIdIsUploadedWithTheApiKey() throws Exception {
        assertEquals(200, get("/v3/identity?serialNumber=SN-UPLOAD-1&ip=127.0.0.1&port=7777").statusCode());
        String enrollmentId = fakeEnrollmentId("SN-UPLOAD-1");
        io.pep.Eventually.await("an upload holding the gateway's enrollment id",
                () -> uploads.stream().anyMatch(body -> body.contains(enrollmentId)));
        assertTrue(uploads.stream().filter(body -> body.contains(enrollmentId)).findFirst().orElseThrow()
                .contains("name=\"enrollment_identities\""));
        assertTrue(authorizations.stream().allMatch(("Bearer " + API_KEY)::equals), authorizations.toString());
    }
}
