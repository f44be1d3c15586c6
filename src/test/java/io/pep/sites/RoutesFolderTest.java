package io.pep.sites;

import static io.pep.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The external routes folder: missing is fine, files load beside the bundled routes and reload. */
class RoutesFolderTest {

    @Nested
    class EmptyFolder extends SiteTestSupport {

        @Override
        protected Path siteFolder() {
            return newTempDir("pep-site-empty");
        }

        @Test
        void pepRunsWithTheBundledRoutesOnly() {
            assertEquals(200, get("/v3/identity?serialNumber=SN-EMPTY&ip=127.0.0.1&port=7777").statusCode());
            assertNotNull(context.getRoute("provision"));
        }
    }

    /**
     * Files dropped into the folder while pep runs: a new file adds its routes, a changed file
     * replaces its routes by id, and the bundled routes keep serving throughout.
     */
    @Nested
    class Reload extends SiteTestSupport {

        private Path folder;

        @Override
        protected Path siteFolder() {
            if (folder == null) {
                folder = newTempDir("pep-site-reload");
                write(folder.resolve("hook.camel.yaml"), hook("allowed"));
            }
            return folder;
        }

        @Override
        protected void siteProperties(Properties properties) {
            properties.setProperty("pep.hooks.before-provision", "direct:site-hook");
        }

        @Test
        void newAndChangedFilesTakeEffectWithoutARestartBrokenOnesDoNotDeletedOnesRunOn() throws Exception {
            assertEquals(200, get("/v3/identity?serialNumber=SN-RELOAD-1&ip=127.0.0.1&port=7777").statusCode());

            assertNull(context.getRoute("site-extra"));
            write(folder.resolve("extra.camel.yaml"), EXTRA);
            await("the dropped file's route is running", () -> context.getRoute("site-extra") != null);
            assertEquals("loaded at runtime", template.requestBody("direct:site-extra", "", String.class));

            // the hook's route id stays, its content changes: refusing now
            Files.writeString(folder.resolve("hook.camel.yaml"), hook("refused"));
            int[] attempt = {0};
            await("the reloaded hook refuses", () -> get("/v3/identity?serialNumber=SN-RELOAD-2-" + ++attempt[0]
                    + "&ip=127.0.0.1&port=7777").statusCode() == 403);
            assertEquals(0, identities().countDocuments(new org.bson.Document("serialNumber", "SN-RELOAD-2-" + attempt[0])),
                    "nothing written for the refused serial");
            assertNotNull(context.getRoute("provision"), "bundled routes untouched by the reload");
            assertEquals(200, get("/v3/enrollment-id?serialNumber=SN-RELOAD-1").statusCode());

            // a broken file: the reload fails and the running version stays
            int failed = reloads().getFailedCounter();
            Files.writeString(folder.resolve("hook.camel.yaml"), "- route:\n    id: site-hook\n    from: [oops\n");
            await("the broken file's reload failed", () -> reloads().getFailedCounter() > failed);
            assertEquals(403, get("/v3/identity?serialNumber=SN-RELOAD-3&ip=127.0.0.1&port=7777").statusCode());

            // until it is fixed, the broken file is retried with every other change (Camel's reload)
            int reloaded = reloads().getReloadCounter();
            Files.writeString(folder.resolve("hook.camel.yaml"), hook("refused"));
            await("the fixed file is reloaded", () -> reloads().getReloadCounter() > reloaded);

            // a route renamed in its file: the new id is added, the old one runs on until a restart
            Files.writeString(folder.resolve("extra.camel.yaml"), EXTRA.replace("site-extra", "site-extra-2"));
            await("the renamed route is running", () -> context.getRoute("site-extra-2") != null);
            assertNotNull(context.getRoute("site-extra"));

            // a dropped file that repeats a bundled route's id replaces it while pep runs (the next
            // start then fails on the duplicate id: docs/site-variations.md)
            write(folder.resolve("shadow.camel.yaml"), EXTRA.replace("site-extra", "allow-every-gateway"));
            // while Camel swaps the route, getRoute answers null for a moment: the poll retries
            await("the bundled route is replaced at runtime", () -> context.getRoute("allow-every-gateway")
                    .getSourceResource().getLocation().endsWith("shadow.camel.yaml"));

            // a deleted file: its routes run on until a restart. The watcher handles changes in
            // order, so once a file written after the delete is loaded, the delete has been seen.
            Files.delete(folder.resolve("extra.camel.yaml"));
            write(folder.resolve("after-delete.camel.yaml"), EXTRA.replace("site-extra", "site-after-delete"));
            await("a file written after the delete is loaded", () -> context.getRoute("site-after-delete") != null);
            assertNotNull(context.getRoute("site-extra-2"));
        }

        /** Camel main's watcher of the routes folder, which counts the reloads that succeeded and failed. */
        private RouteWatcherReloadStrategy reloads() {
            return context.hasService(RouteWatcherReloadStrategy.class);
        }

        private static final String EXTRA = """
                - route:
                    id: site-extra
                    from:
                      uri: direct:site-extra
                      steps:
                        - setBody:
                            constant: loaded at runtime
                """;

        private static String hook(String verdict) {
            // no routeConfigurationId: pep applies propagate-errors to the hook route, also on reload
            String step = "allowed".equals(verdict)
                    ? "- log:\n                    message: allowed by the site hook"
                    : "- throwException:\n                    exceptionType: io.pep.api.ProvisioningRefused\n"
                    + "                    message: refused by the reloaded site hook";
            return """
                    - route:
                        id: site-hook
                        from:
                          uri: direct:site-hook
                          steps:
                            %s
                    """.formatted(step);
        }
    }

    /**
     * Replacing a bundled route: the edited copy of its file goes into the folder and the bundled
     * file is named in pep.routes.exclude (two routes with one id would stop pep from starting).
     */
    @Nested
    class ReplaceBundledRoute extends SiteTestSupport {

        private Path folder;

        @Override
        protected Path siteFolder() {
            if (folder == null) {
                folder = newTempDir("pep-site-replace");
                try {
                    String bundled = Files.readString(Path.of("src/main/resources/routes/queries.camel.yaml"));
                    // the first route of the file is enrollment-id; its last step gets a marker header
                    String lastStep = "            constant: text/plain; charset=utf-8\n";
                    assertTrue(bundled.contains("id: enrollment-id\n") && bundled.contains(lastStep));
                    write(folder.resolve("queries.camel.yaml"), bundled.replaceFirst(java.util.regex.Pattern.quote(lastStep),
                            lastStep + """
                                    - setHeader:
                                        name: X-Pep-Site
                                        constant: replaced queries.camel.yaml
                            """));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return folder;
        }

        @Override
        protected void siteProperties(Properties properties) {
            properties.setProperty("pep.routes.exclude", "queries.camel.yaml");
        }

        @Test
        void theSiteCopyServesInsteadOfTheBundledFile() {
            assertEquals(200, get("/v3/identity?serialNumber=SN-REPLACED&ip=127.0.0.1&port=7777").statusCode());
            HttpResponse<String> response = get("/v3/enrollment-id?serialNumber=SN-REPLACED");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("replaced queries.camel.yaml", response.headers().firstValue("X-Pep-Site").orElse(null),
                    "served by the site's copy");
            for (String id : new String[] {"enrollment-id", "verification-key", "enrollment-ids"}) {
                assertTrue(context.getRoute(id).getSourceResource().getLocation().startsWith("file:" + folder),
                        id + " comes from the site folder");
            }
            assertTrue(context.getRoute("provision").getSourceResource().getLocation().equals("classpath:routes/provision.camel.yaml"),
                    "the other bundled files still load");
        }
    }
}
