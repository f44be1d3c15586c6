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

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
