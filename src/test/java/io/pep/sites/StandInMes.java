package io.pep.sites;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A factory MES on loopback (a real HTTP server) answering {@code GET /api/allowed?serialNumber=…}:
 * 200 for serials starting "OK-", 500 for "ERR-", 404 for anything else, and for "SLOW-" only
 * once it is stopped (at most a minute later). Every answer carries a header that must not reach
 * the gateway.
 */
final class StandInMes {

    static final String INTERNAL_HEADER = "X-Mes-Internal";

    private final HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);

    StandInMes() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/allowed", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String serial = URLDecoder.decode(query.substring("serialNumber=".length()), StandardCharsets.UTF_8);
            asked.add(serial);
            int status = serial.startsWith("OK-") ? 200 : serial.startsWith("ERR-") ? 500 : 404;
            if (serial.startsWith("SLOW-")) {
                answerLate();
            }
            byte[] body = (status == 200 ? "allowed" : "no").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(INTERNAL_HEADER, "must not reach the gateway");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            answered.add(serial);
        });
        server.start();
    }

    /** The URL a site configures as the MES endpoint. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/allowed";
    }

    /** The serial numbers the MES was asked about, in order. */
    List<String> asked() {
        return asked;
    }

    /** The serial numbers the MES has answered about (a slow one only once stopped). */
    List<String> answered() {
        return answered;
    }

    void stop() {
        stopping.countDown();
        server.stop(0);
    }

    // the MES is slow on purpose: pep must give up after its timeout, not wait for this
    private void answerLate() {
        try {
            stopping.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
