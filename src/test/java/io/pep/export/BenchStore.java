package io.pep.export;

import java.nio.file.Path;

/**
 * bench/export-csv.sh's store: the embedded MongoDB in its own JVM (as a real MongoDB would be),
 * loaded with N deployed gateways; prints its URI and the load time, then serves until killed.
 */
public final class BenchStore {

    private BenchStore() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[1]);
        TestStore store = new TestStore(Path.of(args[0]));
        long start = System.nanoTime();
        for (int loaded = 0; loaded < records; loaded += 10_000) {
            store.deployed(Math.min(10_000, records - loaded));
        }
        System.out.printf("READY %s %d%n", store.uri(), (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        Thread.currentThread().join();
    }
}
