package io.pep.export;

import io.pep.PepMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** A whole pep (camel-main, routes, REST on loopback) started in this JVM, so a test can run two and stop one. */
final class PepInstance implements AutoCloseable {

    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    final int port;

    private PepInstance(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    static Map<String, String> settings(StoreFixture store, java.nio.file.Path dataDir, FakePortal portal) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mongo.uri", store.uri());
        settings.put("pep.data.dir", dataDir.toString());
        settings.put("pep.export.csv.dir", dataDir.resolve("drops").toString());
        if (portal != null) {
            settings.put("pep.portal.url", portal.url());
            settings.put("pep.portal.api-key", ExportFixtures.API_KEY);
        }
        settings.put("pep.portal.poll.delay", "20");
        settings.put("pep.portal.retry.delay", "20");
        settings.put("pep.portal.retry.max-delay", "200");
        settings.put("pep.portal.retry.max", "12");
        settings.put("pep.portal.response-timeout", "500");
        settings.put("camel.main.shutdown-timeout", "2");
        return settings;
    }

    static PepInstance start(Map<String, String> settings) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        // Quartz keeps schedulers per name in the JVM: each instance its own
        overrides.put("camel.main.name", "pep-test-" + NUMBER.incrementAndGet());
        PepMain pep = PepMain.start(overrides);
        return new PepInstance(pep.main(), pep.port());
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link ExportFixtures#export}: an export run to its end. */
    ExportFixtures.Ended export(String path) throws IOException, InterruptedException {
        return ExportFixtures.export(port, path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET()
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        main.stop();
    }
}
