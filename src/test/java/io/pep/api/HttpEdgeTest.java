package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.pep.PepTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge, over raw sockets: bytes of the request line decode as UTF-8 (the old pep-cli sends
 * values unencoded), bytes that are not UTF-8 and broken escapes get pep's own 400, every refusal of
 * the HTTP layer has a one-line text body, and a connection that sends no complete request is closed.
 */
class HttpEdgeTest extends PepTestSupport {

    private static final long HEAD_TIMEOUT_MS = 1000;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.server.request-head-timeout", String.valueOf(HEAD_TIMEOUT_MS));
    }

    @Test
    void rawUtf8InTheQueryIsUtf8() {
        String response = rawGet("/v3/identity?serialNumber=" + wire("RAW-Zü-✓") + "&ip=127.0.0.1&port=7777&hardwareVersion="
                + wire("hw-ü"));

        assertEquals(200, status(response), response);
        Document record = identities().find(Filters.eq("serialNumber", "RAW-Zü-✓")).first();
        assertTrue(record != null, "recorded under the real serial: " + response);
        assertEquals("hw-ü", record.getString("hardwareVersion"));
        assertTrue(toolLogText().contains("ARG=--serial-number=RAW-Zü-✓\n"), toolLogText());
        assertEquals(fakeEnrollmentId("RAW-Zü-✓"), get("/v3/enrollment-id?serialNumber=" + q("RAW-Zü-✓")).body(),
                "raw and %-encoded bytes name the same gateway");
    }

    @Test
    void bytesThatAreNotUtf8GetTheSame400AsBadEscapes() {
        String escaped = rawGet("/v3/identity?serialNumber=BADRAW%FF%FE&ip=127.0.0.1&port=7777");
        String raw = rawGet("/v3/identity?serialNumber=BADRAW" + (char) 0xFF + (char) 0xFE + "&ip=127.0.0.1&port=7777");

        assertEquals(400, status(escaped), escaped);
        assertEquals(400, status(raw), raw);
        assertEquals(body(escaped), body(raw));
        assertTrue(body(raw).contains("'serialNumber'") && body(raw).contains("UTF-8"), body(raw));
        assertEquals(0, identities().countDocuments(Filters.regex("serialNumber", "^BADRAW")));
        assertFalse(toolLogText().contains("BADRAW"), "the tool never ran");
    }

    @Test
    void aBrokenEscapeGetsPepsOwnOneLineMessage() {
        for (String path : List.of("/v3/enrollment-id", "/v3/identity", "/enrollment-ids")) {
            String response = rawGet(path + "?serialNumber=%G1");
            assertEquals(400, status(response), response);
            assertTrue(body(response).contains("'serialNumber'") && body(response).contains("%G1"), body(response));
            assertEquals(1, body(response).lines().count(), body(response));
            assertTrue(header(response, "Content-Type").startsWith("text/plain"), response);
        }
    }

    @Test
    void everyRefusalOfTheHttpLayerHasAOneLineTextBody() {
        String longQuery = "/v3/enrollment-id?serialNumber=" + "x".repeat(9000);
        String bigHeader = "GET /v3/enrollment-id?serialNumber=a HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(20000)
                + "\r\n\r\n";
        List<Object[]> cases = List.of(
                new Object[] {414, "GET " + longQuery + " HTTP/1.1\r\nHost: localhost\r\n\r\n"},
                new Object[] {431, bigHeader},
                new Object[] {405, "POST /v3/identity HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"},
                new Object[] {405, "DELETE /v3/enrollment-id?serialNumber=a HTTP/1.1\r\nHost: localhost\r\n\r\n"},
                new Object[] {400, "GET /v3/enrollment-id HTTP/1.1\r\nHost: localhost\r\nContent-Length: nine\r\n\r\n"},
                new Object[] {400, "GET\r\n\r\n"},
                new Object[] {400, "GET /v3/enrollment-id HTTP/1.1\r\n\r\n"},
                new Object[] {400, "GET /v3/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"},
                new Object[] {400, "GET /v3/identity HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n"},
                new Object[] {404, "GET /v4/identity HTTP/1.1\r\nHost: localhost\r\n\r\n"});
        for (Object[] c : cases) {
            String request = (String) c[1];
            String response = send(request);
            String shown = request.length() > 60 ? request.substring(0, 60) : request;
            assertEquals(c[0], status(response), shown + " → " + response);
            assertTrue(header(response, "Content-Type").startsWith("text/plain"), shown + " → " + response);
            assertEquals(1, body(response).lines().count(), shown + " → " + response);
            assertTrue(body(response).length() > 10, shown + " → " + response);
        }
    }

    @Test
    void aConnectionThatStallsInTheRequestLineIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.getOutputStream().write("GET /v3/enrollment-id?serialNu".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertClosedByPep(socket);
        }
    }

    @Test
    void aConnectionThatDripsItsHeadersIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(200);
            byte[] request = "GET /v3/enrollment-id?serialNumber=a HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            long deadline = System.currentTimeMillis() + io.pep.Eventually.PATIENCE.toMillis();
            boolean closed = false;
            for (int i = 0; !closed && System.currentTimeMillis() < deadline; i = (i + 1) % request.length) {
                try {
                    socket.getOutputStream().write(request[i]); // one byte at a time, never the blank line
                    socket.getOutputStream().flush();
                    closed = socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing to read yet: keep dripping
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "pep closed a connection that never completed its headers");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.getOutputStream().write("GET /v3/enrollment-id?serialNumber=nobody HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[4096];
            int n = in.read(answer);
            assertTrue(new String(answer, 0, n, StandardCharsets.UTF_8).startsWith("HTTP/1.1 404"), "answered first");
            assertClosedByPep(socket);
        }
    }

    /** Reads until EOF (or a reset) within a generous deadline; what pep answers, if anything, is ignored. */
    private void assertClosedByPep(Socket socket) throws IOException {
        socket.setSoTimeout(200);
        long deadline = System.currentTimeMillis() + io.pep.Eventually.PATIENCE.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                if (socket.getInputStream().read() == -1) {
                    return;
                }
            } catch (SocketTimeoutException stillOpen) {
                // poll again
            } catch (IOException reset) {
                return;
            }
        }
        throw new AssertionError("the connection was still open after " + io.pep.Eventually.PATIENCE.toSeconds() + " s");
    }

    /** The request line as bytes on the wire: one char per byte, as rawGet sends it. */
    private static String wire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private String send(String request) {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (complete(response.toString())) {
                    break;
                }
            }
            return response.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response with its whole Content-Length body (the connection may stay open). */
    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String length = header(response, "Content-Length");
        return !length.isEmpty() && response.length() - end - 4 >= Integer.parseInt(length.trim());
    }

    private static int status(String response) {
        return Integer.parseInt(response.split(" ", 3)[1]);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
