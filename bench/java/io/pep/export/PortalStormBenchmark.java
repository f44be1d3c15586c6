package io.pep.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The portal fault storm, run by bench/portal-storm.sh (not a test, asserts nothing):
 * N deployed gateways, a portal failing three quarters of the calls (429 and 503 with Retry-After,
 * 500, 502, dropped connections, one connection dropped after the bulk was created), upload runs
 * one after the other until the portal holds every id or the run budget is spent. Prints one
 * Markdown table row. Uses only test helpers that exist on main too, so the script can run it
 * against main's code for the "before" row.
 */
public final class PortalStormBenchmark {

    private PortalStormBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "this tree";
        int ids = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int maxRuns = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        double share = args.length > 3 ? Double.parseDouble(args[3]) : 0.75;
        Path dir = Files.createTempDirectory("pep-storm");
        try (StoreFixture store = new StoreFixture(dir.resolve("mongo")); FakePortal portal = new FakePortal(ExportFixtures.API_KEY)) {
            List<String> deployed = store.deployed(ids);
            Map<String, String> settings = PepInstance.settings(store, dir.resolve("pep"), portal);
            settings.put("pep.portal.max-file-bytes", "2300"); // ~20 ids per bulk upload: 25 files for 500 ids
            settings.put("pep.portal.retry.max", "6"); // the shipped number of tries
            settings.put("pep.portal.retry.max-delay", "2000"); // the portal's Retry-After: 1 s fits
            settings.put("pep.portal.poll.max", "60");
            portal.storm(share);
            int runs = 0;
            long start = System.nanoTime();
            try (PepInstance pep = PepInstance.start(settings)) {
                while (runs < maxRuns && !deployed.stream().allMatch(id -> portal.claims().containsKey(id))) {
                    JsonNode run = ExportFixtures.json(pep.export("/v3/exports/upload").body());
                    runs++;
                    System.err.println("run " + runs + ": " + run.get("status").asText() + " " + run.get("errors"));
                }
                // one more run without faults: pep must agree that nothing is left to send
                portal.storm(0);
                portal.failShare(0, 0);
                int sentBefore = portal.idsReceived.get();
                JsonNode last = ExportFixtures.json(pep.export("/v3/exports/upload").body());
                long accepted = deployed.stream().filter(id -> portal.claims().containsKey(id)).count();
                System.out.printf("| %s | %d | %d | %d | %.2f | %d | %d | %d | %d | %.0f |%n", label, ids, accepted,
                        sentBefore, sentBefore / (double) ids,
                        portal.idsInBulks.get(), portal.maxSendsPerId(), runs, last.get("count").asLong(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        System.exit(0);
    }
}
