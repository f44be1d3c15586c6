package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pep.identity.EnrollmentCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * CSV drops and retirements: a retired identity is never in a later drop of deployed gateways, and
 * each incremental drop run writes the retirements since the last run as their own file, while the
 * enrollments file keeps its format.
 */
class RetirementDropTest extends CsvDropFixture {

    @Test
    void retiredIdentitiesLeaveTheDeployedDropsAndGetTheirOwnFile() throws Exception {
        List<String> dropped = store.deployed(4);
        JsonNode first = ExportFixtures.json(pep.export("/v3/exports/csv").body());
        assertEquals(4, first.get("count").asInt());

        List<String> notYetDropped = store.deployed(3);
        retire(dropped.get(0), "rma, \"board\" swapped");
        retire(notYetDropped.get(0), "wrong station config");

        JsonNode second = ExportFixtures.json(pep.export("/v3/exports/csv").body());
        assertEquals("finished", second.get("status").asText(), second.toString());
        Path enrollments = drops.resolve(second.get("file").asText());
        assertEquals(String.join(",", EnrollmentCsv.COLUMNS), Files.readAllLines(enrollments).get(0), "format unchanged");
        assertEquals(new HashSet<>(notYetDropped.subList(1, 3)), new HashSet<>(ExportFixtures.idsOf(enrollments)),
                "a retired identity is not in a later drop of deployed gateways");

        Path retirements = retirementFiles().get(0);
        List<String> lines = Files.readAllLines(retirements);
        assertEquals("enrollmentID,serialNumber,retiredAt,reason,retiredBy", lines.get(0));
        assertEquals(Set.of(dropped.get(0), notYetDropped.get(0)), new HashSet<>(ExportFixtures.idsOf(retirements)));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"rma, \"\"board\"\" swapped\"")), lines.toString());

        JsonNode third = ExportFixtures.json(pep.export("/v3/exports/csv").body());
        assertEquals(0, third.get("count").asInt());
        assertEquals(1, retirementFiles().size(), "each retirement is written once");

        JsonNode full = ExportFixtures.json(pep.export("/v3/exports/csv?mode=full").body());
        List<String> snapshot = ExportFixtures.idsOf(drops.resolve(full.get("file").asText()));
        assertEquals(5, snapshot.size(), snapshot.toString());
        assertFalse(snapshot.contains(dropped.get(0)) || snapshot.contains(notYetDropped.get(0)), snapshot.toString());
    }

    private void retire(String enrollmentId, String reason) throws Exception {
        String serial = store.records().find(new Document("enrollmentID", enrollmentId)).first().getString("serialNumber");
        var answer = pep.post("/v3/identities/retire?serialNumber=" + serial + "&reason="
                + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private static List<Path> retirementFiles() {
        return ExportFixtures.drops(drops).stream().filter(f -> f.getFileName().toString().startsWith("retirements-")).toList();
    }
}
