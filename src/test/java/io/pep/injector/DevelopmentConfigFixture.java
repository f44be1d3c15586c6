package io.pep.injector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** For test classes on one FCU config: a development config folder made once per class, and its loaded config. */
public abstract class DevelopmentConfigFixture {

    @TempDir
    protected static Path temp;
    protected static Path folder;
    protected static FcuConfig config;

    @BeforeAll
    protected static void developmentConfig() throws Exception {
        folder = temp.resolve("fcu-config");
        assertTrue(DevelopmentConfig.createIfAbsent(folder).created());
        config = FcuConfig.load(folder, Map.of());
    }
}
