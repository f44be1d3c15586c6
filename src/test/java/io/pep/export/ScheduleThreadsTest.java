package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;

/**
 * The export schedules' Quartz scheduler runs with 2 threads (one per schedule; each is stateful),
 * not Quartz's default 10: fewer idle threads on a small PC (quartz/pep-quartz.properties); and it
 * is not enlisted in JMX (camel.component.quartz.enable-jmx=false: enlisting it created the
 * platform MBean server, ~300 classes loaded at every start, for nothing pep exposes).
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
            assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("quartz:*"), null).isEmpty(),
                    "Quartz enlisted in JMX");
        } finally {
            pep.stop();
        }
    }
}
