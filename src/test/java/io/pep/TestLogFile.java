package io.pep;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Names the log file of the test class about to run (target/test-logs/&lt;class&gt;.log, see
 * log4j2-test.xml). Registered for every test through JUnit's extension auto-detection
 * (junit-platform.properties); surefire runs each test class in its own JVM.
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
