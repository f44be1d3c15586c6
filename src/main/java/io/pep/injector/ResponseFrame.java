package io.pep.injector;

/**
 * One FCC response frame: the status word and, only when it is {@link FrameStatus#SUCCESS}, the
 * CBOR message it carried (otherwise {@code message} is null).
 */
public record ResponseFrame(long statusCode, byte[] message) {

    public boolean isSuccess() {
        return statusCode == FrameStatus.SUCCESS.code();
    }
}
