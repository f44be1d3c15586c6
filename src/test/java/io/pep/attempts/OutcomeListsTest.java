package io.pep.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link AttemptOutcome#LOGGED} is the one list of outcomes: the API document's filter, and
 * {@code pep-cli list-attempts -h} (its real output, run through bash) name exactly these, in this
 * order. The dashboard takes its filter from the summary (DashboardTest, test/dashboard).
 */
class OutcomeListsTest {

    @Test
    void theApiDocumentsFilterListsEveryOutcome() throws IOException {
        JsonNode document = new YAMLMapper().readTree(Path.of("src/main/resources/docs/openapi.yaml").toFile());
        JsonNode outcome = null;
        for (JsonNode parameter : document.at("/paths/~1v3~1attempts/get/parameters")) {
            if ("outcome".equals(parameter.path("name").asText())) {
                outcome = parameter;
            }
        }
        assertTrue(outcome != null, "GET /v3/attempts documents 'outcome'");
        List<String> listed = new ArrayList<>();
        outcome.at("/schema/enum").forEach(value -> listed.add(value.asText()));
        assertEquals(AttemptOutcome.LOGGED, listed);
    }

    @Test
    void pepCliListAttemptsHelpListsEveryOutcome() throws Exception {
        Process process = new ProcessBuilder("bash", "cli/pep-cli.sh", "list-attempts", "-h").redirectErrorStream(true).start();
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "pep-cli -h ends");
        assertEquals(0, process.exitValue(), help);
        int start = help.indexOf("this outcome:");
        int end = help.indexOf("\n  -S", start);
        assertTrue(start > 0 && end > start, help);
        List<String> listed = Arrays.stream(help.substring(start + "this outcome:".length(), end).split("[,\\s]+"))
                .filter(word -> !word.isEmpty()).toList();
        assertEquals(AttemptOutcome.LOGGED, listed, help);
    }
}
