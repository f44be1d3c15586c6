package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import io.pep.injector.DevelopmentConfig;
import io.pep.injector.FcuConfig;
import io.pep.injector.FcuToolCheck;
import io.pep.injector.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At start-up pep checks the FCU config's certificate dates as the real FCC would: an expired
 * update-auth certificate stops the start (FCC would refuse every gateway with ReturnStatus 13),
 * one close to expiry is a warning, and the log says how long the configuration stays valid.
 */
class FcuValidityStartupTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private AbstractAppender appender;

    @BeforeEach
    void captureLog() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("fcu-validity-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                log.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getConfiguration().getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }

    @Test
    void anExpiredUpdateAuthCertificateStopsTheStartInBothModes() throws Exception {
        Path config = siteConfig();
        Files.write(config.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.expiredDaysAgo("update", 1));
        for (String mode : new String[] {"exec", "in-process"}) {
            Main main = PepMain.configure(Map.of("pep.fcu.config-dir", config.toString(), "pep.tool.mode", mode)).main();
            try {
                String reasons = describe(assertThrows(Exception.class, main::start, mode));
                assertTrue(reasons.contains("the update-auth certificate expired on "), mode + ": " + reasons);
                assertTrue(reasons.contains("ReturnStatus 13"), mode + ": " + reasons);
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void anExpiredUpdateAuthCertificateStopsTheStartWithTheVendorTool() throws Exception {
        Path config = siteConfig();
        Files.write(config.resolve(FcuToolCheck.FCU_PACKAGE), new byte[] {'P', 'K', 5, 6});
        Files.write(config.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.expiredDaysAgo("update", 1));
        Main main = PepMain.configure(Map.of("pep.fcu.config-dir", config.toString(),
                "pep.tool.kind", "ft-demo", "pep.tool.executable", "/opt/fcu-ve/bin/python3",
                "pep.tool.args", "/opt/fcu-package/ft_demo/sources/ft_demo.py inject --endpoint-name={serialNumber} "
                        + "--serial-number={serialNumber} tcp --ip={ip} --port={port}")).main();
        try {
            String reasons = describe(assertThrows(Exception.class, main::start));
            assertTrue(reasons.contains("1 problem(s)"), reasons);
            assertTrue(reasons.contains("the update-auth certificate expired on "), reasons);
        } finally {
            main.stop();
        }
    }

    @Test
    void theLogSaysHowLongTheConfigStaysValidAndWarnsBeforeExpiry() throws Exception {
        Path config = siteConfig();
        Files.write(config.resolve(FcuConfig.UPDATE_AUTH_CERTIFICATE), TestCertificates.expiringInDays("update", 12));
        PepMain pep = PepMain.start(Map.of("pep.fcu.config-dir", config.toString(), "pep.tool.mode", "in-process",
                "pep.fcu.expiry-warning-days", "14"));
        try {
            List<String> validity = log.stream().filter(line -> line.contains("FCU configuration valid until")).toList();
            assertEquals(1, validity.size(), log.toString());
            assertTrue(validity.get(0).matches("INFO FCU configuration valid until \\d{4}-\\d{2}-\\d{2} \\(11 days\\): "
                    + "update-auth certificate"), validity.get(0));
            assertTrue(log.stream().anyMatch(line -> line.startsWith("WARN FCU config: ")
                    && line.contains("the update-auth certificate expires on ")), log.toString());
        } finally {
            pep.stop();
        }
    }

    /** A site's config folder (not the development one, which pep would generate). */
    private static Path siteConfig() throws Exception {
        Path config = Files.createTempDirectory("site-fcu").resolve("fcu_config");
        DevelopmentConfig.createIfAbsent(config);
        return config;
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }
}
