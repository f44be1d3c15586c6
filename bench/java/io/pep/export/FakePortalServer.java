package io.pep.export;

/**
 * The tests' fake portal (FakePortal: the bulk-upload API on loopback, no faults) as a process of
 * its own for bench/run's upload cell: prints its URL on the first line, then serves until it is
 * stopped (SIGTERM), when it prints how many ids reached it in bulks. Not a test.
 */
public final class FakePortalServer {

    private FakePortalServer() {
    }

    public static void main(String[] args) throws Exception {
        FakePortal portal = new FakePortal(args.length > 0 ? args[0] : ExportFixtures.API_KEY);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("ids in bulks: " + portal.idsInBulks.get()
                + ", max sends of one id: " + portal.maxSendsPerId())));
        System.out.println(portal.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}
