package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pep.PepMain;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;

/**
 * The export schedules' Quartz scheduler runs with 2 threads (one per schedule; each is stateful),
 * not Quartz's default 10: fewer idle threads on a small PC (quartz/pep-quartz.properties).
 */
class ScheduleThreadsTest {

    @Test
    void quartzHasOneThreadPerSchedule() throws Exception {
        PepMain pep = PepMain.start(Map.of("pep.export.csv.enabled", "true", "pep.export.upload.enabled", "true"));
        try {
            CamelContext context = pep.main().getCamelContext();
            QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
            assertEquals(2, quartz.getScheduler().getMetaData().getThreadPoolSize());
            assertEquals(2, context.getRoutes().stream()
                    .filter(route -> route.getEndpoint().getEndpointUri().startsWith("quartz:")).count());
        } finally {
            pep.stop();
        }
    }
}
