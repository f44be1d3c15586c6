package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * HEAD is answered as GET without a body (same status and headers) for every GET that only reads;
 * on {@code /v3/identity}, whose GET provisions, it is 405 with {@code Allow: GET} and runs nothing.
 */
class HeadRequestTest extends PepTestSupport {

    @Test
    void headOnAReadIsItsGetWithoutBody() {
        assertEquals(200, get("/v3/identity?serialNumber=HEAD-1&ip=127.0.0.1&port=7777").statusCode());
        for (String path : List.of("/v3/enrollment-ids", "/enrollment-ids?format=csv", "/v3/enrollment-id?serialNumber=HEAD-1",
                "/v3/enrollment-id?serialNumber=nobody", "/v3/verification-key?serialNumber=HEAD-1", "/v3/attempts",
                "/v3/exports", "/observe/health/live", "/observe/health/ready", "/observe/metrics", "/docs",
                "/docs/openapi.json", "/dashboard", "/")) {
            HttpResponse<String> got = call("GET", path);
            HttpResponse<String> head = call("HEAD", path);
            assertEquals(got.statusCode(), head.statusCode(), path);
            assertTrue(head.body().isEmpty(), path + ": " + head.body());
            for (String header : List.of("content-type", "cache-control", "link", "retry-after", "x-content-type-options")) {
                assertEquals(got.headers().firstValue(header), head.headers().firstValue(header), path + " " + header);
            }
            Optional<String> length = head.headers().firstValue("content-length");
            assertTrue(length.isEmpty() || length.equals(got.headers().firstValue("content-length")), path + ": " + length);
        }
    }

    @Test
    void headOnProvisioningIs405AndRunsNothing() {
        for (String path : List.of("/v3/identity", "/identity")) {
            String serial = "HEAD-NOT" + path.length();
            HttpResponse<String> head = call("HEAD", path + "?serialNumber=" + serial + "&ip=127.0.0.1&port=7777");
            assertEquals(405, head.statusCode(), path);
            assertEquals(Optional.of("GET"), head.headers().firstValue("Allow"), path);
            assertEquals(0, identities().countDocuments(Filters.eq("serialNumber", serial)), "nothing recorded");
            assertFalse(toolLogText().contains(serial), "the tool never ran");
            assertEquals(200, get(path + "?serialNumber=" + serial + "&ip=127.0.0.1&port=7777").statusCode(),
                    "the serial is still free");
        }
    }

    @Test
    void every405NamesTheMethodsServed() {
        HttpResponse<String> post = call("POST", "/v3/enrollment-ids");
        assertEquals(405, post.statusCode());
        assertEquals(Optional.of("GET, HEAD"), post.headers().firstValue("Allow"));
        assertEquals(Optional.of("GET, HEAD"), call("DELETE", "/docs/ui/index.css").headers().firstValue("Allow"));
        String exports = call("PUT", "/v3/exports/csv").headers().firstValue("Allow").orElse("");
        assertTrue(List.of(exports.split(", ")).contains("POST") && !exports.contains("PUT"), exports);
    }
}
