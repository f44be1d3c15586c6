package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pep check-routes DIR}: every example site passes; broken copies of them fail with one line
 * naming the file, the line and the problem; and the check starts nothing of pep.
 */
class RouteCheckTest {

    private static final Path EXAMPLES = Path.of("examples/sites").toAbsolutePath();

    @TempDir
    Path temp;

    @Test
    void everyExampleSitePasses() throws IOException {
        List<Path> sites;
        try (Stream<Path> folders = Files.list(EXAMPLES)) {
            sites = folders.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(sites.size() >= 7, "example sites: " + sites);
        for (Path site : sites) {
            Result result = check(site);
            assertEquals(0, result.exit(), site + ":\n" + result.output());
            assertTrue(result.output().contains("is fine: pep would start with these routes"), result.output());
        }
    }

    @Test
    void aYamlSyntaxErrorNamesItsLine() throws IOException {
        Path site = brokenStation("    id: station-network-only", "    id station-network-only");
        assertOneProblem(site, "station-network-only.camel.yaml:9: YAML error: expected <block end>");
    }

    @Test
    void anUnknownPlaceholderNamesItsLineAndTheProperty() throws IOException {
        Path site = brokenStation("'{{pep.station.ip-prefix}}'", "'{{pep.station.ip-prefx}}'");
        assertOneProblem(site, "station-network-only.camel.yaml:15: placeholder {{pep.station.ip-prefx}} has no value: add"
                + " pep.station.ip-prefx = … to the site's application.properties");
    }

    @Test
    void aDuplicateRouteIdNamesBothPlaces() throws IOException {
        Path site = brokenStation("    id: station-network-only", "    id: provision");
        assertOneProblem(site, "station-network-only.camel.yaml:6: route id 'provision' is already used at"
                + " classpath:routes/provision.camel.yaml:6");
    }

    @Test
    void aHookBreakingTheContractIsRefusedAsAtStart() throws IOException {
        Path site = brokenStation("routeConfigurationId: propagate-errors", "routeConfigurationId: api-errors");
        assertOneProblem(site, "station-network-only.camel.yaml:7: Pre-provisioning hook route 'station-network-only'"
                + " (direct://station-network-only) names routeConfigurationId api-errors: a hook must use propagate-errors");
    }

    @Test
    void anUnknownComponentNamesItsLine() throws IOException {
        Path site = brokenStation("                  - log:\n", "                  - to: \"mqtt:factory?qos=1\"\n                  - log:\n");
        assertOneProblem(site, "station-network-only.camel.yaml:17: endpoint 'mqtt:factory?qos=1' in route"
                + " 'station-network-only': pep has no component 'mqtt'");
    }

    @Test
    void aBundledHookWithoutItsRequiredParameterIsRefused() throws IOException {
        Path site = copy("mes-check");
        replace(site.resolve("application.properties"), "camel.route-template[mes-check].url", "# camel.route-template[mes-check].url");
        assertOneProblem(site, "(camel.route-template[mes-check]): ");
        assertTrue(check(site).output().contains("mandatory parameters must be provided: url"), check(site).output());
    }

    @Test
    void aHookNoRouteConsumesIsReported() throws IOException {
        Path site = copy("mes-check-in-routes-folder");
        Files.delete(site.resolve("mes-check.camel.yaml"));
        assertOneProblem(site, "pep.hooks.before-provision: no route consumes direct:mes-check: pep would start, but answer"
                + " every gateway 500");
    }

    @Test
    void aMissingFolderIsReported() {
        assertOneProblem(temp.resolve("no-such-folder"), "no-such-folder: not a folder");
    }

    /** The command as an operator runs it: a JVM of its own, pep's port held by someone else, an empty working folder. */
    @Test
    void theCheckStartsNothingOfPep() throws Exception {
        Path work = Files.createDirectories(temp.resolve("work"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Process fine = checkProcess(work, taken.getLocalPort(), EXAMPLES.resolve("station-network-only"));
            String output = new String(fine.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(fine.waitFor(180, TimeUnit.SECONDS), "check-routes did not exit");
            assertEquals(0, fine.exitValue(), output);
            assertTrue(output.contains("is fine: pep would start with these routes"), output);
            assertTrue(!output.contains("Apache Camel") && !output.contains("started"), "something was started:\n" + output);

            Process broken = checkProcess(work, taken.getLocalPort(), brokenStation("    id: station-network-only", "    id: provision"));
            String refused = new String(broken.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(broken.waitFor(180, TimeUnit.SECONDS), "check-routes did not exit");
            assertEquals(1, broken.exitValue(), refused);
            assertTrue(refused.contains("route id 'provision' is already used"), refused);
        }
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "check-routes created files (a data folder, a store, exports?)");
        }
    }

    private Process checkProcess(Path work, int port, Path site) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of("-Dlog4j2.configurationFile=log4j2.properties"),
                "io.pep.PepApplication", "check-routes", site.toString())).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("PEP_SERVER_PORT", String.valueOf(port));
        builder.environment().put("PEP_CONFIG_FILE", work.resolve("no-such.properties").toString());
        return builder.start();
    }

    private void assertOneProblem(Path site, String expected) {
        Result result = check(site);
        assertEquals(1, result.exit(), result.output());
        List<String> lines = result.output().lines().toList();
        assertEquals(2, lines.size(), "one problem line and the summary:\n" + result.output());
        assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in:\n" + result.output());
        assertTrue(lines.get(1).startsWith("check-routes: 1 problem(s) in "), result.output());
    }

    private record Result(int exit, String output) {
    }

    private Result check(Path site) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = RouteCheck.run(new String[] {site.toString()}, temp.resolve("no-such.properties").toString(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private Path brokenStation(String from, String to) throws IOException {
        Path site = copy("station-network-only");
        replace(site.resolve("station-network-only.camel.yaml"), from, to);
        return site;
    }

    private Path copy(String example) throws IOException {
        Path site = Files.createTempDirectory(temp, example);
        try (Stream<Path> files = Files.list(EXAMPLES.resolve(example))) {
            files.forEach(file -> {
                try {
                    Files.copy(file, site.resolve(file.getFileName()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return site;
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " no longer holds '" + from + "'");
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }
}
