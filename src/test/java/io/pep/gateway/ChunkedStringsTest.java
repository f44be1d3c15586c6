package io.pep.gateway;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real FCC's reading of chunked CBOR strings: only the first chunk counts. */
class ChunkedStringsTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @Test
    void aDefiniteMessageIsLeftAlone() {
        byte[] message = hex("a2 61 61 63 616263 61 62 43 010203");
        ChunkedStrings.Rewrite rewrite = ChunkedStrings.firstChunksOnly(message);
        assertEquals(0, rewrite.chunkedStrings());
        assertArrayEquals(message, rewrite.message());
    }

    @Test
    void chunkedTextAndBytesKeepTheirFirstChunkInsideIndefiniteContainers() {
        // {_ "a": (_ "ab", "cd"), "b": [_ (_ h'01', h'0203'), 5] }
        byte[] message = hex("bf 61 61 7f 62 6162 62 6364 ff 61 62 9f 5f 41 01 42 0203 ff 05 ff ff");
        ChunkedStrings.Rewrite rewrite = ChunkedStrings.firstChunksOnly(message);
        assertEquals(2, rewrite.chunkedStrings());
        assertArrayEquals(hex("bf 61 61 62 6162 61 62 9f 41 01 05 ff ff"), rewrite.message());
    }

    @Test
    void anEmptyChunkedStringBecomesEmptyAndALongFirstChunkKeepsItsLength() {
        assertArrayEquals(hex("81 60"), ChunkedStrings.firstChunksOnly(hex("81 7f ff")).message());
        byte[] chunk = new byte[300];
        byte[] message = new byte[1 + 1 + 3 + 300 + 1];
        message[0] = (byte) 0x81;
        message[1] = 0x5f;
        message[2] = 0x59;
        message[3] = 0x01;
        message[4] = 0x2c;
        message[message.length - 1] = (byte) 0xff;
        byte[] expected = new byte[1 + 3 + 300];
        expected[0] = (byte) 0x81;
        expected[1] = 0x59;
        expected[2] = 0x01;
        expected[3] = 0x2c;
        System.arraycopy(chunk, 0, expected, 4, 300);
        assertArrayEquals(expected, ChunkedStrings.firstChunksOnly(message).message());
    }

    @Test
    void malformedCborIsLeftForTheDecoderToRefuse() {
        byte[] truncated = hex("a1 61 61 7f 62 61");
        assertArrayEquals(truncated, ChunkedStrings.firstChunksOnly(truncated).message());
        byte[] mixedChunks = hex("7f 41 01 ff");
        assertArrayEquals(mixedChunks, ChunkedStrings.firstChunksOnly(mixedChunks).message());
    }
}
