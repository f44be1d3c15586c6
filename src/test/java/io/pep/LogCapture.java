package io.pep;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log lines of the pep running in this JVM, as the operator would read them ("LEVEL message",
 * plus the exception's class and message when one is attached), from the moment it is opened until
 * it is closed.
 */
public final class LogCapture implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final AbstractAppender appender;

    private LogCapture(String name) {
        appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage()
                        + (event.getThrown() != null ? " " + event.getThrown() : ""));
            }
        };
    }

    public static LogCapture start(String name) {
        LogCapture capture = new LogCapture(name);
        capture.appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().addAppender(capture.appender);
        context.getConfiguration().getRootLogger().addAppender(capture.appender, Level.ALL, null);
        context.updateLoggers();
        return capture;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines that contain {@code text}. */
    public List<String> matching(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
