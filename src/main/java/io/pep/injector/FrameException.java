package io.pep.injector;

import java.io.IOException;

/** A frame that breaks the FCC framing rules; carries the status the receiver answers with. */
public class FrameException extends IOException {

    private final FrameStatus status;

    public FrameException(FrameStatus status, String message) {
        super(message);
        this.status = status;
    }

    public FrameStatus status() {
        return status;
    }
}
