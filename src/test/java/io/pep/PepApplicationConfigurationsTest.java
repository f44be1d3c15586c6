package io.pep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.support.scan.DefaultPackageScanClassResolver;
import org.junit.jupiter.api.Test;

/**
 * pep lists its configuration classes instead of scanning io.pep on every start (start-up time):
 * this scan, done once here, fails the build when a {@link CamelConfiguration} of the main code
 * is missing from {@link PepApplication#CONFIGURATIONS} (its beans would be missing at run time).
 */
class PepApplicationConfigurationsTest {

    @Test
    void everyConfigurationClassOfPepIsListed() {
        Set<Class<?>> found = new DefaultPackageScanClassResolver().findImplementations(CamelConfiguration.class, "io.pep");
        Object mainCode = PepApplication.class.getProtectionDomain().getCodeSource().getLocation();
        Set<String> inMainCode = new TreeSet<>();
        for (Class<?> type : found) {
            if (type.getProtectionDomain().getCodeSource().getLocation().equals(mainCode)) {
                inMainCode.add(type.getName());
            }
        }
        Set<String> listed = new TreeSet<>();
        PepApplication.CONFIGURATIONS.forEach(type -> listed.add(type.getName()));
        assertFalse(inMainCode.isEmpty(), "the scan found no configuration class at all");
        assertEquals(inMainCode, listed, "PepApplication.CONFIGURATIONS must list every CamelConfiguration in io.pep");
    }

    @Test
    void theStartedMainUsesTheList() {
        Set<String> configured = new TreeSet<>(List.of(PepApplication.newMain().configure().getConfigurationClasses().split(",")));
        Set<String> listed = new TreeSet<>();
        PepApplication.CONFIGURATIONS.forEach(type -> listed.add(type.getName()));
        assertEquals(listed, configured);
    }
}
