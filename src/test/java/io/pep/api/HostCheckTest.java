package io.pep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.LogCapture;
import io.pep.PepTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With tokens off (the default), a web page that re-points its own name to pep (DNS rebinding: to
 * the browser, pep is then the page's own origin) gets 421 for every call, while gateways and
 * scripts calling by IP address, localhost, the machine's name or a name of
 * {@code pep.server.allowed-hosts} are answered as before. Raw sockets: java.net.http sets Host itself.
 */
class HostCheckTest extends PepTestSupport {

    private LogCapture capture;

    @Override
    protected void overrideProperties(Properties properties) {
        properties.setProperty("pep.server.allowed-hosts", "pep.factory.lan, *.line2.lan");
        properties.setProperty("pep.export.csv.dir", dataDir().resolve("exports").toString());
    }

    @Test
    void aRebindingPageCanNeitherReadNorStartExports() throws IOException {
        String evil = "evil.example:" + port();
        String list = request("GET /v3/enrollment-ids HTTP/1.1", evil, "Origin: http://" + evil);
        assertEquals(421, status(list), list);
        String body = body(list);
        assertEquals(1, body.lines().count(), body);
        assertTrue(body.contains("'evil.example'") && body.contains("pep.server.allowed-hosts"), body);

        String export = request("POST /v3/exports/csv?mode=full HTTP/1.1", evil, "Origin: http://" + evil,
                "Content-Type: application/json", "Content-Length: 0");
        assertEquals(421, status(export), export);
        assertEquals(421, status(request("GET /v3/identity?serialNumber=DNS-1&ip=127.0.0.1&port=7777 HTTP/1.1", evil)));
        assertEquals(0, drops(), "no drop was made");
        assertTrue(toolLogText().isEmpty(), "the tool never ran");
    }

    @Test
    void addressesLocalhostAndTheMachinesNameAreAnswered() throws Exception {
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1:" + port(), "127.0.0.1", "localhost:" + port(),
                "LocalHost.", "[::1]:" + port(), "192.168.1.20:5151", InetAddress.getLocalHost().getHostName() + ":" + port()));
        Path kernelName = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(kernelName)) {
            hosts.add(Files.readString(kernelName).strip());
        }
        for (String host : hosts) {
            String answer = request("GET /v3/enrollment-ids HTTP/1.1", host);
            assertEquals(200, status(answer), host + " → " + answer);
        }
        String noHost = request("GET /v3/enrollment-ids HTTP/1.0", null);
        assertEquals(200, status(noHost), "HTTP/1.0 without Host → " + noHost);
    }

    @Test
    void theSettingsNamesAndDomainsAreAnsweredOthersNot() {
        for (String host : List.of("pep.factory.lan:" + port(), "PEP.Factory.LAN.", "station-7.line2.lan:5151")) {
            String answer = request("GET /v3/enrollment-ids HTTP/1.1", host);
            assertEquals(200, status(answer), host + " → " + answer);
        }
        for (String host : List.of("line2.lan", "pep.factory.lan.evil.example", "127.0.0.1.evil.example", "factory.lan",
                ":" + port())) {
            String answer = request("GET /v3/enrollment-ids HTTP/1.1", host);
            assertEquals(421, status(answer), host + " → " + answer);
        }
    }

    @Test
    void eachRefusedNameIsLoggedOnceAndEveryRefusalCounted() {
        double before = refusalsCounted();
        for (int i = 0; i < 3; i++) {
            assertEquals(421, status(request("GET /v3/enrollment-ids HTTP/1.1", "once.example:" + port())));
        }
        assertEquals(421, status(request("GET /observe/health/ready HTTP/1.1", "twice.example")));
        List<String> log = capture.lines();
        List<String> lines = log.stream().filter(line -> line.contains("Host 'once.example'")).toList();
        assertEquals(1, lines.size(), log.toString());
        assertTrue(lines.get(0).startsWith("WARN ") && lines.get(0).contains("pep.server.allowed-hosts"), lines.get(0));
        assertEquals(1, log.stream().filter(line -> line.contains("Host 'twice.example'")).count(), log.toString());
        assertEquals(before + 4, refusalsCounted());
    }

    private double refusalsCounted() {
        String scrape = get("/observe/metrics").body();
        return scrape.lines().filter(line -> line.startsWith("pep_http_misdirected_requests_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no pep_http_misdirected_requests_total in the scrape"));
    }

    private long drops() throws IOException {
        Path dir = dataDir().resolve("exports");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    /** The whole response to {@code requestLine} with this Host (none when null) and headers. */
    private String request(String requestLine, String host, String... headers) {
        StringBuilder request = new StringBuilder(requestLine).append("\r\n");
        if (host != null) {
            request.append("Host: ").append(host).append("\r\n");
        }
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int status(String response) {
        return Integer.parseInt(response.split(" ", 3)[1]);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @BeforeEach
    void captureLog() {
        capture = LogCapture.start("host-check-capture");
    }

    @AfterEach
    void stopCapturing() {
        capture.close();
    }
}
