package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** With pep's own injector as the tool, a broken FCU config folder stops the start with its reason. */
class InjectorStartupTest {

    @Test
    void aMissingConfigFolderFailsTheStartNamingWhatIsMissing() throws Exception {
        Path emptyConfig = Files.createTempDirectory("site-fcu-config");
        for (String mode : new String[] {"exec", "in-process"}) {
            Main main = PepMain.configure(Map.of("pep.fcu.config-dir", emptyConfig.toString(),
                    "pep.tool.mode", mode)).main();
            try {
                Exception failure = assertThrows(Exception.class, main::start, mode);
                String reasons = describe(failure);
                assertTrue(reasons.contains("fcu.yml"), mode + ": " + reasons);
            } finally {
                main.stop();
            }
        }
        assertTrue(Files.list(emptyConfig).findAny().isEmpty(), "a site's folder is never filled with a development CA");
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }
}
