package io.pep.provisioning;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * camel-exec's executor plus the two things the factory tool needs and camel-exec lacks: extra
 * environment variables (e.g. {@code FCU_HOME_DIR}) and knowing that a run was killed by the
 * timeout rather than failing by itself.
 */
public class FactoryToolExecutor extends DefaultExecCommandExecutor {

    private final Map<String, String> environment;
    private final ThreadLocal<ExecuteWatchdog> watchdog = new ThreadLocal<>();

    public FactoryToolExecutor(Map<String, String> extraEnvironment) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(extraEnvironment);
        this.environment = Map.copyOf(merged);
    }

    @Override
    public ExecResult execute(ExecCommand command) {
        try {
            ExecResult result = super.execute(command);
            ExecuteWatchdog used = watchdog.get();
            if (used != null && used.killedProcess()) {
                throw new FactoryToolTimeoutException(command.getTimeout(), result);
            }
            return result;
        } finally {
            watchdog.remove();
        }
    }

    @Override
    @SuppressWarnings("deprecation") // commons-exec 1.4+ prefers builders; these setters still work and read plainly
    protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
        DefaultExecutor executor = new DefaultExecutor() {
            @Override
            public int execute(CommandLine commandLine) throws IOException {
                return super.execute(commandLine, environment);
            }
        };
        executor.setExitValues(null); // every exit code is a result; the route decides what it means
        if (command.getWorkingDir() != null) {
            executor.setWorkingDirectory(new File(command.getWorkingDir()).getAbsoluteFile());
        }
        if (command.getTimeout() != ExecEndpoint.NO_TIMEOUT) {
            ExecuteWatchdog dog = new ExecuteWatchdog(command.getTimeout());
            watchdog.set(dog);
            executor.setWatchdog(dog);
        }
        executor.setProcessDestroyer(new ShutdownHookProcessDestroyer());
        return executor;
    }

    /** The tool ran past its timeout and was killed. */
    public static class FactoryToolTimeoutException extends RuntimeException {
        private final transient ExecResult result;

        FactoryToolTimeoutException(long timeoutMs, ExecResult result) {
            super("the factory tool did not finish within " + timeoutMs + " ms and was stopped");
            this.result = result;
        }

        public ExecResult getResult() {
            return result;
        }
    }
}
