package io.pep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * pep started the way {@link PepApplication} starts it (camel-main, the bundled properties and
 * routes), for tests that need what a test context cannot give: a restart, two instances, or a
 * start that must fail. Loopback, a free port, a fresh data folder, no route reload, then the
 * test's own settings on top.
 */
public final class PepMain {

    private final Main main;
    private final int port;

    private PepMain(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Configured, not started. */
    public static PepMain configure(Map<String, String> settings) {
        int port = freePort();
        Main main = PepApplication.newMain();
        main.setPropertyPlaceholderLocations("classpath:application.properties");
        main.addOverrideProperty("pep.server.host", "127.0.0.1");
        main.addOverrideProperty("pep.server.port", String.valueOf(port));
        main.addOverrideProperty("pep.data.dir", tempDir("pep-main").toString());
        main.addOverrideProperty("pep.routes.reload-enabled", "false");
        settings.forEach(main::addOverrideProperty);
        return new PepMain(main, port);
    }

    public static PepMain start(Map<String, String> settings) throws Exception {
        PepMain pep = configure(settings);
        pep.main.start();
        return pep;
    }

    public Main main() {
        return main;
    }

    public int port() {
        return port;
    }

    public void stop() {
        main.stop();
    }

    /**
     * Stops the routes that run on their own clock (timer, quartz: sweeps, purges, exports), so what
     * a test counts afterwards (documents a store read) is its requests' alone.
     */
    public void stopScheduledRoutes() throws Exception {
        var camel = main.getCamelContext();
        for (var route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.startsWith("timer:") || uri.startsWith("quartz:")) {
                camel.getRouteController().stopRoute(route.getRouteId());
            }
        }
    }

    /** A collection of pep's database, through pep's own MongoDB client. */
    public com.mongodb.client.MongoCollection<org.bson.Document> collection(String name) {
        return main.getCamelContext().getRegistry().lookupByNameAndType("pepMongo", com.mongodb.client.MongoClient.class)
                .getDatabase("mbed_manufacturing_db").getCollection(name);
    }

    /**
     * A port nothing listens on, for a server a test starts later. Surefire runs several test JVMs at a
     * time (up to four): each takes ports from its own range ({@code pep.test.fork}, set by the pom), below the
     * kernel's ephemeral range, so two of them never pick the same port between probe and bind, as
     * they could with port 0.
     */
    public static int freePort() {
        for (int tries = 0; tries < PORTS_PER_FORK; tries++) {
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS_PER_FORK);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException inUse) {
                // taken (a server of an earlier test, another program): the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS_PER_FORK - 1));
    }

    private static final int PORTS_PER_FORK = 3000;
    private static final int FIRST_PORT = 20000 + PORTS_PER_FORK * Math.floorMod(Integer.getInteger("pep.test.fork", 3), 4);
    /** Where in its range this JVM starts: test JVMs of one fork follow each other, their servers may linger. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
            new java.util.concurrent.atomic.AtomicInteger((int) (ProcessHandle.current().pid() * 37 % PORTS_PER_FORK));

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
