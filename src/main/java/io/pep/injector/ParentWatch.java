package io.pep.injector;

import java.util.Optional;

/**
 * Ends this process when the one that started it ends: a factory tool run must never outlive
 * the pep that started it (a crashed pep would otherwise leave runs injecting gateways nobody
 * records). A daemon thread polls the parent's handle, which knows the parent's start time, so
 * a recycled PID does not look alive.
 */
final class ParentWatch {

    static final long POLL_MILLIS = 250;

    private ParentWatch() {
    }

    /** Starts the watch; a process without a parent (PID 1 in a container) is not watched. */
    static void exitWhenParentEnds(int exitCode) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty() || parent.get().pid() <= 1) {
            return;
        }
        ProcessHandle watched = parent.get();
        Thread watch = new Thread(() -> {
            while (true) {
                if (!watched.isAlive()) {
                    System.err.println("error: pep-inject stops: the process that started it (PID " + watched.pid()
                            + ") ended");
                    System.err.flush();
                    Runtime.getRuntime().halt(exitCode);
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "pep-inject-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
