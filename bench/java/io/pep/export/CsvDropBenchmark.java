package io.pep.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One full CSV drop timed end to end (POST /v3/exports/csv?mode=full on a whole pep) against the
 * store at args[0] (args[1]: full, the default, or incremental — claim then drop, with the shipped
 * store timeout); run by bench/export-csv.sh with -Xmx256m. Prints one Markdown table row.
 */
public final class CsvDropBenchmark {

    private CsvDropBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("pep-bench");
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("mongo.uri", args[0]);
        settings.put("pep.data.dir", dir.toString());
        settings.put("pep.export.csv.dir", dir.resolve("drops").toString());
        String mode = args.length > 1 ? args[1] : "full";
        // incremental: the claim runs first, in batches, with the shipped store timeout
        if ("full".equals(mode)) {
            settings.put("pep.mongo.timeout-ms", "600000");
        }
        try (PepInstance pep = PepInstance.start(settings)) {
            long start = System.nanoTime();
            var response = pep.export("/v3/exports/csv?mode=" + mode);
            long millis = (System.nanoTime() - start) / 1_000_000;
            JsonNode run = ExportFixtures.json(response.body());
            Path file = dir.resolve("drops").resolve(run.get("file").asText());
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("| %,d | %,d | %.1f | %,d | %d | %d |%n", run.get("count").asLong(), millis,
                    Files.size(file) / 1e6, run.get("count").asLong() * 1000 / Math.max(1, millis),
                    Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20);
            Files.delete(file);
        }
        System.exit(0);
    }
}
