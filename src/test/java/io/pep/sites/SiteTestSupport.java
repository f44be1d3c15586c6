package io.pep.sites;

import io.pep.PepTestSupport;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import io.pep.PepMain;
import org.apache.camel.main.Main;

/**
 * pep started as a site runs it: {@code pep.routes.dir} pointing at a folder of site routes and
 * that folder's {@code application.properties} snippet (when it has one) applied on top of the
 * bundled defaults, as an operator would copy it into the root application.properties.
 */
abstract class SiteTestSupport extends PepTestSupport {

    /** The site folder: an example under examples/sites or a folder the test writes. */
    protected abstract Path siteFolder();

    /** Settings a test needs on top of the site's own (e.g. the loopback MES's URL). */
    protected void siteProperties(Properties properties) {
    }

    @Override
    protected final void overrideProperties(Properties properties) {
        Path folder = siteFolder();
        properties.setProperty("pep.routes.dir", folder.toString());
        Path snippet = folder.resolve("application.properties");
        if (Files.exists(snippet)) {
            try (Reader reader = Files.newBufferedReader(snippet)) {
                Properties site = new Properties();
                site.load(reader);
                properties.putAll(site);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        siteProperties(properties);
    }

    /** pep started the way PepApplication starts it, for start-up failures (no test context). */
    static Main main(Map<String, String> properties) {
        return PepMain.configure(properties).main();
    }

    static Path tempDir(String prefix) {
        return newTempDir(prefix);
    }

    protected static Path example(String name) {
        return Path.of("examples/sites", name).toAbsolutePath();
    }

    protected static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
