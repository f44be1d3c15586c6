package io.pep.provisioning;

/** The factory tool ran past {@code pep.tool.timeout} and was ended; nothing was recorded. */
public class ToolTimedOut extends RuntimeException {

    public ToolTimedOut(String message, Throwable cause) {
        super(message, cause);
    }
}
