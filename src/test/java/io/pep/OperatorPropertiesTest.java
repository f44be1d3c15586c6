package io.pep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator's application.properties overrides the bundled defaults: the README and every site
 * example tell ops to change pep by editing that file, so a bundled key must never win over it.
 */
class OperatorPropertiesTest {

    @Test
    void theOperatorsFileOverridesABundledDefaultAndKeepsTheOthers() throws Exception {
        Path file = PepMain.tempDir("operator-file").resolve("application.properties");
        Files.writeString(file, "pep.defaults.hardware-version = site-hardware\n"
                + "pep.hooks.before-provision = direct:allow-every-gateway\n");
        PepMain pep = PepMain.configure(Map.of());
        pep.main().setPropertyPlaceholderLocations(PepApplication.propertyLocations(file.toString()));
        pep.main().start();
        try {
            var context = pep.main().getCamelContext();
            assertEquals("site-hardware", context.resolvePropertyPlaceholders("{{pep.defaults.hardware-version}}"));
            assertEquals("00", context.resolvePropertyPlaceholders("{{pep.defaults.radio-config}}"),
                    "a key the operator's file lacks keeps its bundled default");
        } finally {
            pep.stop();
        }
    }
}
