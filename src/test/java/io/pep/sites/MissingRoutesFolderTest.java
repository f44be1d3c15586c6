package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

class MissingRoutesFolderTest {

    @Test
    void aMissingFolderStopsTheStartNamingIt() {
        // a mistyped PEP_ROUTES_DIR must not start pep without the site's hook
        Path missing = SiteTestSupport.tempDir("pep-site-missing").resolve("no-such-routes-folder");
        Main main = SiteTestSupport.main(Map.of("pep.routes.dir", missing.toString()));
        try {
            Exception failure = assertThrows(Exception.class, main::start);
            String messages = HookContractTest.messages(failure);
            assertTrue(messages.contains(missing.toString()), messages);
        } finally {
            main.stop();
        }
    }
}
