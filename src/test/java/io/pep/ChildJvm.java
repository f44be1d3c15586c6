package io.pep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The java command line of a child JVM started by a test (a pep to kill -9, a store writer, a pep
 * under a file-size limit): the test's own JVM and class path, the launcher's heap cap, and the
 * flags that make a short-lived JVM start with the least CPU on a busy 2-core machine (C1 only,
 * one GC thread, no perf-data file).
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java <flags> [jvmOptions] -cp <test class path> mainClass args}. */
    public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx192m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** pep itself ({@code io.pep.PepApplication}) with the production log set-up: console, no per-class test files. */
    public static List<String> pep() {
        return command(List.of("-Dlog4j2.configurationFile=log4j2.properties"), "io.pep.PepApplication");
    }
}
