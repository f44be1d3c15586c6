package io.pep.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pep.gateway.FccSimulator;
import io.pep.injector.DevelopmentConfig;
import io.pep.provisioning.FccWarnings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Warnings are never dropped: with an FCU config lacking {@code vendor-id}, the configuration
 * warns and the gateway's FCC answers success with {@code WarningInfo: Item not set:mbed.VendorId};
 * both are logged with the serial and counted in the {@code fccWarnings} bean, whatever the tool mode.
 */
public abstract class WarningsScenarios extends EndToEndSupport {

    private Path config;

    @Override
    protected Path fcuConfigDir() {
        if (config == null) {
            config = newTempDir("warn-config").resolve("fcu-config");
            try {
                DevelopmentConfig.createIfAbsent(config);
                Path yml = config.resolve("fcu.yml");
                Files.writeString(yml, Files.readString(yml).lines().filter(line -> !line.strip().startsWith("vendor-id:"))
                        .collect(Collectors.joining("\n", "", "\n")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return config;
    }

    @Test
    void theGatewaysWarningInfoAndTheConfigurationWarningAreCounted() throws Exception {
        FccWarnings warnings = context.getRegistry().lookupByNameAndType("fccWarnings", FccWarnings.class);
        long before = warnings.count();
        double scrapedBefore = scrapedWarnings();
        FccSimulator gateway = healthyGateway();

        assertProvisioned("E2E-WARN-1", provision("E2E-WARN-1", gateway.port()), gateway);

        assertEquals("Item not set:mbed.VendorId", gateway.lastResponse().orElseThrow().warningInfo().strip());
        assertEquals(before + 2, warnings.count(), "one configuration warning and one FCC WarningInfo line");
        assertEquals(scrapedBefore + 2, scrapedWarnings(), "pep_fcc_warnings_total counts them, whatever the tool mode");
    }

    private double scrapedWarnings() {
        String scrape = get("/observe/metrics").body();
        return scrape.lines().filter(line -> line.startsWith("pep_fcc_warnings_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no pep_fcc_warnings_total in\n" + scrape));
    }
}
