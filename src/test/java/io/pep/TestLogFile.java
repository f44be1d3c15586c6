package io.pep;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Names the log file of the test class about to run (target/test-logs/&lt;class&gt;.log, see
 * log4j2-test.xml). Registered for every test through JUnit's extension auto-detection
 * (junit-platform.properties). A test JVM runs class after class: the routing appender switches
 * file at each class.
 */
public final class TestLogFile implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> test = context.getRequiredTestClass();
        while (test.getEnclosingClass() != null) {
            test = test.getEnclosingClass(); // @Nested classes log into their outer class's file
        }
        System.setProperty("pep.test.class", test.getSimpleName());
    }
}
