package io.pep.export;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What the CSV drop tests share: a store of their own and one pep dropping into {@link #drops}, for the whole class. */
abstract class CsvDropFixture {

    @TempDir
    static Path dir;
    static StoreFixture store;
    static PepInstance pep;
    static Path drops;

    @BeforeAll
    static void start() throws Exception {
        store = new StoreFixture(dir.resolve("mongo"));
        pep = PepInstance.start(PepInstance.settings(store, dir.resolve("pep"), null));
        drops = dir.resolve("pep/drops");
    }

    @AfterAll
    static void stop() {
        pep.close();
        store.close();
    }
}
