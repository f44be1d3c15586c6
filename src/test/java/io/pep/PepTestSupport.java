package io.pep;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * pep as it runs in production (camel-main, the bundled routes, the embedded store reached by
 * the real MongoDB driver over TCP, real HTTP on loopback), one instance per test class, with the
 * ft_demo stand-in {@code src/test/tools/fake-ft-demo} as factory tool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PepTestSupport extends CamelMainTestSupport {

    protected static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    /** pep.tool.timeout: a hang* run ends after it; fake-ft-demo's other runs finish well within it on a busy machine. */
    protected static final int TOOL_TIMEOUT_MS = 10_000;

    // created lazily: the Camel test base class asks for the properties from its constructor
    private Path dataDir;
    private int port;
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The class's pep stops with the class: a test JVM runs class after class, and a pep left
     * running would answer on its port, run its timers and log into the next class's capture.
     */
    @AfterAll
    void stopPep() {
        if (context != null && !context.isStopped()) {
            context.stop();
        }
    }

    protected Path dataDir() {
        if (dataDir == null) {
            dataDir = newTempDir("pep-data");
        }
        return dataDir;
    }

    protected Path toolLog() {
        return dataDir().resolve("tool-args.log");
    }

    protected int port() {
        if (port == 0) {
            port = freePort();
        }
        return port;
    }

    @Override
    protected Class<?> getMainClass() {
        return PepApplication.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("pep.server.host", "127.0.0.1");
        properties.setProperty("pep.server.port", String.valueOf(port()));
        properties.setProperty("pep.data.dir", dataDir().toString());
        properties.setProperty("pep.tool.executable", FAKE_TOOL.toString());
        properties.setProperty("pep.tool.env", "FAKE_TOOL_LOG=" + toolLog() + ",FCU_HOME_DIR=/opt/fcu-package");
        properties.setProperty("pep.tool.timeout", String.valueOf(TOOL_TIMEOUT_MS));
        overrideProperties(properties);
        return properties;
    }

    /** Per-class settings on top of the defaults above. */
    protected void overrideProperties(Properties properties) {
    }

    protected HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, "*/*");
    }

    protected HttpResponse<String> get(String pathAndQuery, String accept) {
        return get(pathAndQuery, accept, HttpResponse.BodyHandlers.ofString());
    }

    protected <T> HttpResponse<T> get(String pathAndQuery, String accept, HttpResponse.BodyHandler<T> body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).GET().build(), body);
    }

    /** {@code method} on {@code pathAndQuery} without a body, with these header name/value pairs. */
    protected HttpResponse<String> call(String method, String pathAndQuery, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends once more when the connection the client took from its pool was closed by pep before
     * the request reached it: pep closes a keep-alive connection left idle for
     * pep.server.request-head-timeout, and a test that waits that long between two calls can race
     * that close (the client then reads no bytes at all: pep never saw the request).
     */
    protected <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            try {
                return http.send(request, body);
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("header parser received no bytes")) {
                    throw e;
                }
                return http.send(request, body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The whole response to a request target sent exactly as given: java.net.URI refuses malformed
     * escapes and normalises "..", which is just what some tests need to send.
     */
    protected String rawGet(String requestTarget) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + requestTarget + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status code of {@link #rawGet}. */
    protected int rawGetStatus(String requestTarget) {
        return Integer.parseInt(rawGet(requestTarget).split(" ", 3)[1]);
    }

    /** The collection pep writes to, through pep's own client. */
    protected MongoCollection<Document> identities() {
        MongoClient client = context.getRegistry().lookupByNameAndType("pepMongo", MongoClient.class);
        return client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities");
    }

    protected String toolLogText() {
        try {
            return Files.exists(toolLog()) ? Files.readString(toolLog()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The enrollment id fake-ft-demo prints for a serial: A- + SHA-256 of the serial, colon hex. */
    protected static String fakeEnrollmentId(String serialNumber) {
        return io.pep.identity.EnrollmentId.ofCertificate(
                serialNumber.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected static int freePort() {
        return PepMain.freePort();
    }

    protected static Path newTempDir(String prefix) {
        return PepMain.tempDir(prefix);
    }

    protected static String q(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
