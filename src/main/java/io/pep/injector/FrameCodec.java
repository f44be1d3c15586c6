package io.pep.injector;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The FCC frame format (mbed-cloud-client ftcd-comm-base, little-endian as on Linux).
 *
 * <pre>
 * request : "mbedprov" | u32 length | CBOR message | SHA-256(message)
 * response: "mbedprov" | u32 status [ | u32 length | CBOR message | SHA-256(message) ]  (tail only when status is 0)
 * </pre>
 *
 * Readers scan byte by byte for the token, so junk before a frame is skipped as the real FCC does.
 * A declared length is checked against {@link #maxMessageLength()} before anything is allocated:
 * a hostile peer cannot make us reserve gigabytes. Instances hold no state and are thread-safe.
 */
public final class FrameCodec {

    public static final byte[] TOKEN = "mbedprov".getBytes(StandardCharsets.US_ASCII);
    public static final int DIGEST_LENGTH = 32;
    /** Bundles are a few KiB (three certificates and a key); 64 KiB leaves ample room. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 64 * 1024;

    private final int maxMessageLength;

    public FrameCodec() {
        this(DEFAULT_MAX_MESSAGE_LENGTH);
    }

    public FrameCodec(int maxMessageLength) {
        if (maxMessageLength <= 0) {
            throw new IllegalArgumentException("maxMessageLength must be positive: " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** The bytes of a request frame carrying this message. */
    public byte[] requestFrame(byte[] message) {
        requireSendable(message);
        ByteBuffer frame = ByteBuffer.allocate(TOKEN.length + 4 + message.length + DIGEST_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
        frame.put(TOKEN).putInt(message.length).put(message).put(sha256(message));
        return frame.array();
    }

    /** The bytes of a response frame; {@code message} is sent only with {@link FrameStatus#SUCCESS}. */
    public byte[] responseFrame(FrameStatus status, byte[] message) {
        if (status != FrameStatus.SUCCESS) {
            return ByteBuffer.allocate(TOKEN.length + 4).order(ByteOrder.LITTLE_ENDIAN)
                    .put(TOKEN).putInt(status.code()).array();
        }
        requireSendable(message);
        ByteBuffer frame = ByteBuffer.allocate(TOKEN.length + 8 + message.length + DIGEST_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
        frame.put(TOKEN).putInt(status.code()).putInt(message.length).put(message).put(sha256(message));
        return frame.array();
    }

    public void writeRequest(OutputStream out, byte[] message) throws IOException {
        out.write(requestFrame(message));
        out.flush();
    }

    public void writeResponse(OutputStream out, FrameStatus status, byte[] message) throws IOException {
        out.write(responseFrame(status, message));
        out.flush();
    }

    /**
     * Reads one request frame and returns its message, or empty when the stream ends before a
     * token was found (the peer closed the session).
     *
     * @throws FrameException for a frame that breaks the rules; its status is what FCC answers
     *                        ({@link FrameStatus#INCONSISTENT_SIGNATURE} for a wrong digest)
     */
    public Optional<byte[]> readRequest(InputStream in) throws IOException {
        if (!skipToToken(in)) {
            return Optional.empty();
        }
        return Optional.of(readMessageAndDigest(in));
    }

    /**
     * Reads one response frame.
     *
     * @throws EOFException   when the stream ends before a complete frame
     * @throws FrameException for a bad length or a wrong digest
     */
    public ResponseFrame readResponse(InputStream in) throws IOException {
        if (!skipToToken(in)) {
            throw new EOFException("connection closed before a response frame arrived");
        }
        long status = readU32(in, FrameStatus.READ_BYTES, "status");
        if (status != FrameStatus.SUCCESS.code()) {
            return new ResponseFrame(status, null);
        }
        return new ResponseFrame(status, readMessageAndDigest(in));
    }

    private byte[] readMessageAndDigest(InputStream in) throws IOException {
        long length = readU32(in, FrameStatus.READ_SIZE, "length");
        if (length == 0) {
            throw new FrameException(FrameStatus.READ_SIZE, "frame declares a message length of 0");
        }
        if (length > maxMessageLength) {
            throw new FrameException(FrameStatus.MEMORY_OUT,
                    "frame declares a message length of " + length + " bytes, above the limit of " + maxMessageLength);
        }
        byte[] message = readExactly(in, (int) length, FrameStatus.READ_BYTES, "message");
        byte[] digest = readExactly(in, DIGEST_LENGTH, FrameStatus.READ_SIGNATURE, "SHA-256 digest");
        if (!MessageDigest.isEqual(digest, sha256(message))) {
            throw new FrameException(FrameStatus.INCONSISTENT_SIGNATURE,
                    "the frame's SHA-256 does not match its message");
        }
        return message;
    }

    /** True once the token has been consumed; false when the stream ended first. */
    private static boolean skipToToken(InputStream in) throws IOException {
        int matched = 0;
        while (matched < TOKEN.length) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            if (b == TOKEN[matched]) {
                matched++;
            } else {
                // the token's first byte occurs nowhere else in it, so restarting here is exact
                matched = b == TOKEN[0] ? 1 : 0;
            }
        }
        return true;
    }

    private static long readU32(InputStream in, FrameStatus onShortRead, String what) throws IOException {
        byte[] bytes = readExactly(in, 4, onShortRead, what);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
    }

    private static byte[] readExactly(InputStream in, int length, FrameStatus onShortRead, String what)
            throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new FrameException(onShortRead,
                    "connection closed in the middle of the frame's " + what + " (" + bytes.length + " of " + length + " bytes)");
        }
        return bytes;
    }

    private void requireSendable(byte[] message) {
        if (message == null || message.length == 0) {
            throw new IllegalArgumentException("a frame message must not be empty");
        }
        if (message.length > maxMessageLength) {
            throw new IllegalArgumentException(
                    "message of " + message.length + " bytes is above the frame limit of " + maxMessageLength);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
