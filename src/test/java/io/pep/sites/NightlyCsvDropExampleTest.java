package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/**
 * examples/sites/nightly-csv-drop with its own properties, except that the "share" is a temporary
 * folder and the nightly cron fires every second here (the example's own cron is checked apart).
 */
class NightlyCsvDropExampleTest extends SiteTestSupport {

    private Path share;

    @Override
    protected Path siteFolder() {
        return example("nightly-csv-drop");
    }

    private Path share() {
        if (share == null) {
            share = newTempDir("pep-share").resolve("pep-enrollments");
            try {
                Files.createDirectories(share); // the share is mounted: pep refuses to drop into a missing folder
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return share;
    }

    @Override
    protected void siteProperties(Properties properties) {
        properties.setProperty("pep.export.csv.dir", share().toString());
        properties.setProperty("pep.export.csv.cron", "0/1 * * * * ?");
    }

    @Test
    void theExampleSchedulesOneDropEveryNightAt2() throws Exception {
        Properties example = exampleProperties("nightly-csv-drop");
        CronExpression cron = new CronExpression(example.getProperty("pep.export.csv.cron"));
        // read in UTC: in the machine's zone a day across a DST change lasts 23 or 25 hours
        cron.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
        java.util.Date next = cron.getNextValidTimeAfter(new java.util.Date());
        java.util.Date after = cron.getNextValidTimeAfter(next);
        assertEquals(24 * 3600 * 1000L, after.getTime() - next.getTime(), "once a day");
        assertEquals(2, LocalDateTime.ofInstant(next.toInstant(), java.time.ZoneOffset.UTC).getHour());
        assertEquals("true", example.getProperty("pep.export.csv.enabled"));
    }

    @Test
    void aProvisionedGatewayLandsInACsvFileOnTheShare() throws Exception {
        assertEquals(200, get("/v3/identity?serialNumber=SN-NIGHTLY-1&ip=127.0.0.1&port=7777").statusCode());
        String enrollmentId = fakeEnrollmentId("SN-NIGHTLY-1");
        io.pep.Eventually.await("a drop with the gateway on the share",
                () -> drops().stream().anyMatch(text -> text.contains(enrollmentId)));
        String drop = drops().stream().filter(text -> text.contains(enrollmentId)).findFirst().orElseThrow();
        assertTrue(drop.startsWith("enrollmentID,serialNumber,"), drop);
        assertTrue(drop.contains(enrollmentId + ",SN-NIGHTLY-1,"), drop);
    }

    private List<String> drops() {
        if (!Files.isDirectory(share())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(share())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv") && !f.getFileName().toString().startsWith("."))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties exampleProperties(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(example(name).resolve("application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }
}
