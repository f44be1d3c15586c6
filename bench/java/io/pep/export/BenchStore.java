package io.pep.export;

import java.nio.file.Path;

/**
 * bench/export-csv.sh's store: the embedded MongoDB in its own JVM (as a real MongoDB would be),
 * loaded with N deployed gateways; prints its URI and the load time, then serves until killed.
 * With a third argument {@code memory} it uses mongo-java-server's in-memory backend instead of
 * H2: that store answers far faster, which isolates pep's own share of a drop.
 */
public final class BenchStore {

    private BenchStore() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[1]);
        boolean memory = args.length > 2 && args[2].equals("memory");
        StoreFixture store = memory ? StoreFixture.inMemory() : new StoreFixture(Path.of(args[0]));
        long start = System.nanoTime();
        for (int loaded = 0; loaded < records; loaded += 10_000) {
            store.deployed(Math.min(10_000, records - loaded));
        }
        System.out.printf("READY %s %d%n", store.uri(), (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        Thread.currentThread().join();
    }
}
