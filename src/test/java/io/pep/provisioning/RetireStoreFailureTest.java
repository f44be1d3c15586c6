package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.pep.Eventually;
import io.pep.PepMain;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that fails between a retirement's writes (the history entry is written, the record's
 * removal fails): the answer is 503 saying the retirement is not finished, the serial keeps its
 * identity meanwhile, and pep finishes the retirement by itself.
 */
class RetireStoreFailureTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final AtomicBoolean failNextDelete = new AtomicBoolean();
    private final MongoServer server = new MongoServer(new MemoryBackend() {
        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new MemoryDatabase(name, getCursorRegistry()) {
                @Override
                protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
                    return new MemoryCollection(this, collectionName, options, cursorRegistry) {
                        @Override
                        public int deleteDocuments(de.bwaldvogel.mongo.bson.Document selector, int limit, Oplog oplog) {
                            if (collectionName.equals("edge_identities") && failNextDelete.getAndSet(false)) {
                                throw new MongoServerException("disk I/O error (test)");
                            }
                            return super.deleteDocuments(selector, limit, oplog);
                        }
                    };
                }
            };
        }
    });
    private PepMain pep;
    private MongoClient client;

    @AfterEach
    void stop() {
        if (pep != null) {
            pep.stop();
        }
        if (client != null) {
            client.close();
        }
        server.shutdownNow();
    }

    @Test
    void aRetirementTheStoreFailsHalfWayIsAnswered503AndFinishedByPep() throws Exception {
        InetSocketAddress address = server.bind();
        String uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
        client = MongoClients.create(uri);
        client.getDatabase("mbed_manufacturing_db").getCollection("edge_identities").insertOne(new Document("serialNumber", "SN-HALF")
                .append("deployed", true).append("enrollmentID", "A-01").append("createdAt", System.currentTimeMillis()));
        // a short store timeout: a half-done retirement is finished once older than its writes can take
        pep = PepMain.start(Map.of("mongo.uri", uri, "pep.instance.heartbeat-interval", "500",
                "pep.mongo.timeout-ms", "1000", "pep.mongo.write-retries", "1", "pep.mongo.write-retry-delay", "50"));

        failNextDelete.set(true);
        HttpResponse<String> answer = send("POST", "/v3/identities/retire?serialNumber=SN-HALF&reason=rma");
        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("is in the history but not finished"), answer.body());
        assertTrue(answer.headers().firstValue("Retry-After").isPresent());
        assertEquals("A-01", send("GET", "/v3/enrollment-id?serialNumber=SN-HALF").body(), "not retired yet");

        Eventually.await("pep finishes the retirement", Duration.ofSeconds(240),
                () -> send("GET", "/v3/enrollment-id?serialNumber=SN-HALF").statusCode() == 404);
        String history = send("GET", "/v3/identities/history?serialNumber=SN-HALF").body();
        assertTrue(history.contains("\"state\":\"retired\"") && history.contains("\"reason\":\"rma\""), history);
    }

    private HttpResponse<String> send(String method, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
