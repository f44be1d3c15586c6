package io.pep.export;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the upload tests share: a store of their own, the test portal, and a pep started on both
 * with the settings a test adds ({@link #startPep}); everything closed after each test.
 */
abstract class PortalUploadFixture {

    @TempDir
    Path dir;
    StoreFixture store;
    FakePortal portal;
    PepInstance pep;

    @BeforeEach
    void startStoreAndPortal() throws Exception {
        store = new StoreFixture(dir.resolve("mongo"));
        portal = new FakePortal(ExportFixtures.API_KEY);
    }

    @AfterEach
    void stopAll() {
        if (pep != null) {
            pep.close();
        }
        portal.close();
        store.close();
    }

    /** The settings every pep of this test class starts with, on top of {@link PepInstance#settings}. */
    Map<String, String> classSettings() {
        return Map.of();
    }

    /** Starts pep on the store and the portal: the class's settings, then {@code extra}. */
    void startPep(Map<String, String> extra) throws Exception {
        Map<String, String> settings = PepInstance.settings(store, dir.resolve("pep"), portal);
        settings.putAll(classSettings());
        settings.putAll(extra);
        pep = PepInstance.start(settings);
    }
}
