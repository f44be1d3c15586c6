package io.pep.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tokens off (the default): every call answers as before, but an export run cannot be started by
 * what a page on another site can make a browser send without a preflight.
 */
class CrossSiteExportTest extends PepTestSupport {

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.export.csv.dir", dataDir().resolve("exports").toString());
    }

    @Test
    void browserShapedPostsAreRefusedAndNothingIsDropped() throws IOException {
        long before = drops();
        assertEquals(403, post("/v3/exports/csv?mode=full", "Content-Type", "application/x-www-form-urlencoded").statusCode());
        assertEquals(403, post("/exports/csv", "Content-Type", "multipart/form-data; boundary=x").statusCode());
        assertEquals(403, post("/v3/exports/csv", "Content-Type", "text/plain;charset=UTF-8").statusCode());
        HttpResponse<String> origin = post("/v3/exports/upload", "Origin", "http://evil.example");
        assertEquals(403, origin.statusCode());
        assertTrue(origin.body().contains("X-Requested-By"), origin.body());
        assertEquals(before, drops(), "no drop was made");
    }

    @Test
    void scriptsStillRunExports() throws IOException {
        // each waits for its run (?wait=): the next would otherwise find the drop still going (409)
        assertEquals(200, post("/v3/exports/csv?wait=30", null, null).statusCode(), "curl -X POST, as the docs show");
        assertEquals(200, post("/v3/exports/csv?mode=full&wait=30", "X-Requested-By", "ops").statusCode());
        assertEquals(200, post("/v3/exports/csv?mode=full&wait=30", "Content-Type", "application/json").statusCode());
        assertEquals(200, post("/v3/exports/csv?mode=full&wait=30", "Origin", "http://127.0.0.1:" + port()).statusCode(),
                "pep's own pages");
    }

    @Test
    void gatewayCallsAreUnchangedWithTokensOff() {
        assertEquals(200, get("/v3/identity?serialNumber=XS-1&ip=127.0.0.1&port=7777").statusCode());
        assertEquals(200, get("/enrollment-id?serialNumber=XS-1").statusCode());
        assertEquals(200, get("/v3/enrollment-ids").statusCode());
        assertEquals(200, get("/v3/attempts").statusCode());
        assertEquals(200, get("/observe/metrics").statusCode());
    }

    private long drops() throws IOException {
        Path dir = dataDir().resolve("exports");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".csv")).count();
        }
    }

    private HttpResponse<String> post(String path, String header, String value) {
        return header == null ? call("POST", path) : call("POST", path, header, value);
    }
}
