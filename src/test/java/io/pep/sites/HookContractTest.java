package io.pep.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The pre-provisioning hook contract: a hook refuses by throwing, and the refusal stops
 * provisioning with the hook's status even when the site's route forgets
 * {@code routeConfigurationId: propagate-errors} (under Camel's default error handler it would
 * be swallowed into an empty 500).
 */
class HookContractTest extends SiteTestSupport {

    private static final String REFUSING_HOOK = """
            - route:
                id: refuse-listed-serials
                # no routeConfigurationId on purpose: pep must still let the refusal through
                from:
                  uri: direct:refuse-listed-serials
                  steps:
                    - filter:
                        simple: ${exchangeProperty.request.serialNumber} startsWith 'BLOCKED-'
                        steps:
                          - throwException:
                              exceptionType: io.pep.api.ProvisioningRefused
                              message: "${exchangeProperty.request.serialNumber} is on the blocked list"
            """;

    private Path folder;

    @Override
    protected Path siteFolder() {
        if (folder == null) {
            folder = newTempDir("pep-site-hook");
            write(folder.resolve("hook.camel.yaml"), REFUSING_HOOK);
        }
        return folder;
    }

    @Override
    protected void siteProperties(Properties properties) {
        properties.setProperty("pep.hooks.before-provision", "direct:refuse-listed-serials");
    }

    @Test
    void aRefusalWithoutPropagateErrorsStillAnswers403AndWritesNothing() {
        HttpResponse<String> refused = get("/v3/identity?serialNumber=BLOCKED-1&ip=127.0.0.1&port=7777");
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("BLOCKED-1 is on the blocked list\n", refused.body());
        assertEquals(0, identities().countDocuments(new org.bson.Document("serialNumber", "BLOCKED-1")));
        assertTrue(!toolLogText().contains("BLOCKED-1"), "the factory tool was not run");

        HttpResponse<String> allowed = get("/v3/identity?serialNumber=SN-HOOK-OK&ip=127.0.0.1&port=7777");
        assertEquals(200, allowed.statusCode(), allowed.body());
    }

    @Test
    void aHookRouteThatHandlesItsOwnErrorsIsRefusedAtStart() {
        // api-errors would answer the refusal inside the hook and let provisioning go on
        Path site = newTempDir("pep-site-bad-hook");
        write(site.resolve("hook.camel.yaml"), REFUSING_HOOK.replace(
                "# no routeConfigurationId on purpose: pep must still let the refusal through",
                "routeConfigurationId: api-errors"));
        Main main = main(java.util.Map.of("pep.routes.dir", site.toString(),
                "pep.hooks.before-provision", "direct:refuse-listed-serials"));
        try {
            Exception failure = assertThrows(Exception.class, main::start);
            String message = messages(failure);
            assertTrue(message.contains("refuse-listed-serials") && message.contains("propagate-errors"), message);
        } finally {
            main.stop();
        }
    }

    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
