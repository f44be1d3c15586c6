package io.pep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepMain;
import io.pep.provisioning.ToolSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * pep.tool.kind says what the factory tool is, and so what pep checks before it serves: ft-demo
 * the vendor's FCU config folder, pep-inject pep's own, custom nothing. Left at auto, pep guesses
 * from the executable and arguments as it did before the setting existed.
 */
class ToolKindTest {

    private static final Path FAKE_TOOL = Path.of("src/test/tools/fake-ft-demo").toAbsolutePath();
    private static final String FT_DEMO_ARGS = "/opt/fcu-package/ft_demo/sources/ft_demo.py inject "
            + "--endpoint-name={serialNumber} --serial-number={serialNumber} tcp --ip={ip} --port={port}";

    @Test
    void ftDemoWithAMissingFcuConfigRefusesToStartWhateverTheToolIsCalled() throws Exception {
        String reasons = startFailure(Map.of("pep.tool.kind", "ft-demo", "pep.tool.executable", FAKE_TOOL.toString()));
        assertTrue(reasons.contains("cannot be used by the FCU tool"), reasons);
        assertTrue(reasons.contains("fcu-config-validator.sh"), reasons);
    }

    @Test
    void autoStillGuessesFtDemoFromItsArguments() throws Exception {
        String reasons = startFailure(Map.of("pep.tool.kind", "auto", "pep.tool.executable", "/opt/fcu-ve/bin/python3",
                "pep.tool.args", FT_DEMO_ARGS));
        assertTrue(reasons.contains("cannot be used by the FCU tool"), reasons);
    }

    @Test
    void pepInjectChecksItsConfigWhateverTheToolIsCalled() throws Exception {
        String reasons = startFailure(Map.of("pep.tool.kind", "pep-inject", "pep.tool.executable", FAKE_TOOL.toString()));
        assertTrue(reasons.contains("fcu.yml"), reasons);
    }

    @Test
    void customRunsTheExecutableAsIsWithNoConfigCheck() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("pep.tool.kind", "custom");
        settings.put("pep.tool.executable", FAKE_TOOL.toString());
        settings.put("pep.tool.args", FT_DEMO_ARGS); // names ft_demo.py, yet no FCU check: the kind says custom
        settings.put("pep.fcu.config-dir", Files.createTempDirectory("empty-fcu-config").toString());
        PepMain pep = PepMain.start(settings);
        try {
            HttpResponse<String> provisioned = get(pep, "/v3/identity?serialNumber=KIND-1&ip=127.0.0.1&port=7777");
            assertEquals(200, provisioned.statusCode(), provisioned.body());
            HttpResponse<String> ready = get(pep, "/observe/health/ready");
            assertTrue(ready.body().contains("\"kind\":\"custom\"") || ready.body().contains("\"kind\": \"custom\""),
                    ready.body());
        } finally {
            pep.stop();
        }
    }

    @Test
    void anUnknownKindRefusesToStartNamingTheSetting() throws Exception {
        String reasons = startFailure(Map.of("pep.tool.kind", "fcu"));
        assertTrue(reasons.contains("pep.tool.kind must be 'pep-inject', 'ft-demo', 'custom' or 'auto', not 'fcu'"),
                reasons);
    }

    @Test
    void theGuessIsTodaysRule() {
        assertEquals(ToolSettings.Kind.FT_DEMO, settings("", "exec", "/opt/fcu-ve/bin/python3", FT_DEMO_ARGS).kind());
        assertEquals(ToolSettings.Kind.PEP_INJECT, settings("auto", "exec", "bin/pep-inject", "inject").kind());
        assertEquals(ToolSettings.Kind.PEP_INJECT, settings("auto", "in-process", "", "").kind());
        assertEquals(ToolSettings.Kind.CUSTOM, settings("auto", "exec", "/usr/local/bin/site-tool", "x").kind());
        assertTrue(settings("auto", "exec", "bin/pep-inject", "").kindGuessed());
        assertEquals(ToolSettings.Kind.FT_DEMO, settings(" FT-Demo ", "exec", "bin/pep-inject", "").kind());
        assertEquals(null, settings("pep-inject", "exec", "bin/pep-inject", "inject").mismatch());
        assertTrue(settings("pep-inject", "exec", "/opt/fcu-ve/bin/python3", FT_DEMO_ARGS).mismatch()
                .contains("set pep.tool.kind=ft-demo"));
    }

    private static ToolSettings settings(String kind, String mode, String executable, String arguments) {
        return ToolSettings.of(kind, mode, executable, arguments, "A=1,B=2", ".", 1000, 100, 1, 1000);
    }

    /** Starts pep with an empty (site) FCU config folder and returns why it refused. */
    private static String startFailure(Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putIfAbsent("pep.fcu.config-dir", Files.createTempDirectory("empty-fcu-config").toString());
        Main main = PepMain.configure(settings).main();
        try {
            Exception failure = assertThrows(Exception.class, main::start);
            StringBuilder text = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                text.append(t.getMessage()).append(" | ");
            }
            return text.toString();
        } finally {
            main.stop();
        }
    }

    private static HttpResponse<String> get(PepMain pep, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pep.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
