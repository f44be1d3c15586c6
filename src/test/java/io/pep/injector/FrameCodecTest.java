package io.pep.injector;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec(1024);
    private final byte[] message = "a cbor message".getBytes(StandardCharsets.US_ASCII);

    @Test
    void requestRoundTripsWithLittleEndianLengthAndSha256() throws IOException {
        byte[] frame = codec.requestFrame(message);

        assertArrayEquals(FrameCodec.TOKEN, slice(frame, 0, 8));
        assertEquals(message.length, ByteBuffer.wrap(frame, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertArrayEquals(FrameCodec.sha256(message), slice(frame, frame.length - 32, 32));
        assertArrayEquals(message, codec.readRequest(new ByteArrayInputStream(frame)).orElseThrow());
    }

    @Test
    void responseRoundTripsWithAndWithoutMessage() throws IOException {
        ResponseFrame ok = codec.readResponse(stream(codec.responseFrame(FrameStatus.SUCCESS, message)));
        assertTrue(ok.isSuccess());
        assertArrayEquals(message, ok.message());

        byte[] refusal = codec.responseFrame(FrameStatus.INCONSISTENT_SIGNATURE, null);
        assertEquals(12, refusal.length, "a non-zero status ends the frame");
        ResponseFrame refused = codec.readResponse(stream(refusal));
        assertEquals(8, refused.statusCode());
        assertNull(refused.message());
    }

    @Test
    void readerResynchronisesOverJunkAndPartialTokens() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes("junk mbedpro mmbed\0\0".getBytes(StandardCharsets.US_ASCII));
        stream.writeBytes(codec.requestFrame(message));
        assertArrayEquals(message, codec.readRequest(stream(stream.toByteArray())).orElseThrow());
    }

    @Test
    void endOfStreamBeforeATokenIsTheEndOfTheSession() throws IOException {
        assertTrue(codec.readRequest(stream("no token here".getBytes(StandardCharsets.US_ASCII))).isEmpty());
        assertThrows(EOFException.class, () -> codec.readResponse(stream(new byte[0])));
    }

    @Test
    void lengthZeroIsRejected() {
        FrameException e = assertThrows(FrameException.class, () -> codec.readRequest(stream(header(0))));
        assertEquals(FrameStatus.READ_SIZE, e.status());
    }

    @Test
    void hostileLengthIsRejectedBeforeAllocating() {
        // 0xFFFFFFFF as u32: four gigabytes declared, nothing behind it
        FrameException e = assertThrows(FrameException.class, () -> codec.readRequest(stream(header(-1))));
        assertEquals(FrameStatus.MEMORY_OUT, e.status());
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());

        FrameException justAbove = assertThrows(FrameException.class, () -> codec.readRequest(stream(header(1025))));
        assertEquals(FrameStatus.MEMORY_OUT, justAbove.status());
    }

    @Test
    void digestMismatchIsInconsistentSignature() {
        byte[] frame = codec.requestFrame(message);
        frame[frame.length - 1] ^= 1;
        FrameException e = assertThrows(FrameException.class, () -> codec.readRequest(stream(frame)));
        assertEquals(FrameStatus.INCONSISTENT_SIGNATURE, e.status());
        assertEquals(8, e.status().code());
    }

    @Test
    void truncatedFramesAreReadErrors() {
        byte[] frame = codec.requestFrame(message);
        FrameException inMessage = assertThrows(FrameException.class,
                () -> codec.readRequest(stream(slice(frame, 0, 15))));
        assertEquals(FrameStatus.READ_BYTES, inMessage.status());
        FrameException inDigest = assertThrows(FrameException.class,
                () -> codec.readRequest(stream(slice(frame, 0, frame.length - 1))));
        assertEquals(FrameStatus.READ_SIGNATURE, inDigest.status());
    }

    @Test
    void refusesToSendEmptyOrOversizedMessages() {
        assertThrows(IllegalArgumentException.class, () -> codec.requestFrame(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> codec.requestFrame(new byte[1025]));
    }

    @Test
    void statusCodesFollowTheSpec() {
        assertEquals(15, FrameStatus.INTERNAL.code());
        assertEquals(FrameStatus.TIMEOUT, FrameStatus.ofCode(12).orElseThrow());
        assertEquals("99", FrameStatus.describe(99));
    }

    private static byte[] header(int length) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put(FrameCodec.TOKEN).putInt(length).array();
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        byte[] part = new byte[length];
        System.arraycopy(bytes, from, part, 0, length);
        return part;
    }
}
