package io.pep.provisioning;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Notes the child processes of every running factory tool while it runs, so that a tool's whole
 * tree can be ended later, even the descendants that detach from it (they are reparented when
 * their parent exits, and then no longer found under the tool).
 *
 * <p>One look serves every run: each {@link #WATCH_MILLIS} while tools run, pep's own descendants
 * are listed once and each is filed under the tool it descends from. Listing descendants reads the
 * status of every process on the machine, too costly to do per run per tick; it is one look per
 * tick whatever the number of runs, and a run shorter than a tick costs none.
 */
final class ProcessTreeWatch {

    /** How often running tools' trees are looked at. */
    static final long WATCH_MILLIS = 100;

    /** Each running tool's PID and the processes of its tree seen so far (the tool itself first). */
    private final Map<Long, Set<ProcessHandle>> trees = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private ScheduledFuture<?> ticking;

    ProcessTreeWatch() {
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "factory-tool-watch");
            thread.setDaemon(true);
            return thread;
        });
        // the thread goes when no tool has run for a while; an idle pep keeps no watcher
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Watches the tree of a tool just started; {@code tree} holds the tool and grows as it forks. */
    synchronized void watch(ProcessHandle tool, Set<ProcessHandle> tree) {
        trees.put(tool.pid(), tree);
        if (ticking == null) {
            ticking = timer.scheduleWithFixedDelay(this::look, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The tool's run is over: its tree is no longer looked at. */
    void forget(ProcessHandle tool) {
        trees.remove(tool.pid());
    }

    /** One look at pep's descendants, each filed under the running tool it descends from. */
    void look() {
        if (trees.isEmpty()) {
            synchronized (this) {
                if (trees.isEmpty() && ticking != null) {
                    ticking.cancel(false);
                    ticking = null;
                }
            }
            return;
        }
        long pep = ProcessHandle.current().pid();
        ProcessHandle.current().descendants().forEach(process -> {
            Set<ProcessHandle> tree = trees.get(toolOf(process, pep));
            if (tree != null) {
                tree.add(process);
            }
        });
    }

    /** The PID of pep's child that {@code process} descends from (its own PID for a child of pep). */
    private static long toolOf(ProcessHandle process, long pep) {
        ProcessHandle step = process;
        for (int depth = 0; depth < 64; depth++) {
            Optional<ProcessHandle> parent = step.parent();
            if (parent.isEmpty()) {
                return -1; // exited meanwhile
            }
            if (parent.get().pid() == pep) {
                return step.pid();
            }
            step = parent.get();
        }
        return -1;
    }
}
