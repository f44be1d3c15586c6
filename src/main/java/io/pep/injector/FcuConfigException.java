package io.pep.injector;

/** The FCU config folder is missing, incomplete or malformed; the message names the file or key. */
public class FcuConfigException extends Exception {

    public FcuConfigException(String message) {
        super(message);
    }

    public FcuConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
