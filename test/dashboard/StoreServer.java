// A MongoDB store the dashboard test can stop and start again: pep's own embedded store
// (mongo-java-server, H2 file) on a fixed loopback port, until the process is told to stop.
// Run from the jar without compiling: java -cp target/pep.jar test/dashboard/StoreServer.java DIR PORT PIDFILE
import io.pep.store.EmbeddedMongo;
import java.nio.file.Files;
import java.nio.file.Path;

public class StoreServer {
    public static void main(String[] args) throws Exception {
        EmbeddedMongo store = EmbeddedMongo.start(Path.of(args[0]), Integer.parseInt(args[1]));
        // SIGTERM closes the H2 file cleanly, so the next start on the same folder has every write
        Runtime.getRuntime().addShutdownHook(new Thread(store::close));
        Files.writeString(Path.of(args[2]), Long.toString(ProcessHandle.current().pid()));
        System.out.println("store listening on " + store.connectionString());
        Thread.currentThread().join();
    }
}
