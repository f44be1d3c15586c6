package io.pep.gateway;

import java.io.ByteArrayOutputStream;

/**
 * What the real FCC makes of indefinite-length (chunked) CBOR strings: it reads only the first
 * chunk (SPEC §7: an 8000-character endpoint name sent chunked arrived truncated and the device
 * certificate's CN then no longer matched, ReturnStatus 14). {@link #firstChunksOnly(byte[])}
 * rewrites a message so that every chunked text or byte string becomes a definite-length string
 * holding its first chunk; the simulator then checks the message as usual and fails where the
 * real client would.
 */
final class ChunkedStrings {

    /** The message as FCC reads it, and how many chunked strings it had. */
    record Rewrite(byte[] message, int chunkedStrings) {
    }

    private static final int BYTE_STRING = 2;
    private static final int TEXT_STRING = 3;
    private static final int ARRAY = 4;
    private static final int MAP = 5;
    private static final int TAG = 6;
    private static final int INDEFINITE = 31;
    private static final int BREAK = 0xFF;
    /** Deeper nesting than any bundle has; a hostile message must not exhaust the stack. */
    private static final int MAX_DEPTH = 32;

    private final byte[] in;
    private final ByteArrayOutputStream out;
    private int position;
    private int chunked;

    private ChunkedStrings(byte[] in) {
        this.in = in;
        this.out = new ByteArrayOutputStream(in.length);
    }

    /**
     * The message with each chunked string cut to its first chunk. A message that is not
     * well-formed CBOR is returned unchanged, for the decoder to refuse.
     */
    static Rewrite firstChunksOnly(byte[] message) {
        ChunkedStrings reader = new ChunkedStrings(message);
        try {
            reader.item(0);
            while (reader.position < message.length) {
                reader.item(0); // trailing data: copied, the decoder decides
            }
        } catch (Malformed e) {
            return new Rewrite(message, 0);
        }
        return reader.chunked == 0 ? new Rewrite(message, 0) : new Rewrite(reader.out.toByteArray(), reader.chunked);
    }

    private void item(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed();
        }
        int start = position;
        int initial = next();
        int major = initial >>> 5;
        int info = initial & 0x1F;
        if (info == INDEFINITE) {
            switch (major) {
                case BYTE_STRING, TEXT_STRING -> firstChunk(major);
                case ARRAY, MAP -> {
                    out.write(initial);
                    while (peek() != BREAK) {
                        item(depth + 1);
                        if (major == MAP) {
                            item(depth + 1);
                        }
                    }
                    out.write(next());
                }
                default -> throw new Malformed(); // a break outside an indefinite item, or reserved
            }
            return;
        }
        long argument = argument(info);
        switch (major) {
            case BYTE_STRING, TEXT_STRING -> {
                skip(argument);
                copy(start);
            }
            case ARRAY, MAP -> {
                copy(start);
                long items = major == MAP ? argument * 2 : argument;
                for (long i = 0; i < items; i++) {
                    item(depth + 1);
                }
            }
            case TAG -> {
                copy(start);
                item(depth + 1);
            }
            default -> copy(start); // integers, simple values and floats: the argument is the whole item
        }
    }

    /** Reads every chunk up to the break, writes only the first one as a definite-length string. */
    private void firstChunk(int major) throws Malformed {
        chunked++;
        byte[] first = null;
        while (peek() != BREAK) {
            int initial = next();
            if (initial >>> 5 != major || (initial & 0x1F) == INDEFINITE) {
                throw new Malformed(); // chunks must be definite strings of the same type
            }
            long length = argument(initial & 0x1F);
            int contentStart = position;
            skip(length);
            if (first == null) {
                first = java.util.Arrays.copyOfRange(in, contentStart, position);
            }
        }
        next(); // the break
        writeHeader(major, first == null ? 0 : first.length);
        if (first != null) {
            out.writeBytes(first);
        }
    }

    private void writeHeader(int major, int length) {
        int type = major << 5;
        if (length < 24) {
            out.write(type | length);
        } else if (length < 0x100) {
            out.write(type | 24);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(type | 25);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(type | 26);
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
        }
    }

    private long argument(int info) throws Malformed {
        if (info < 24) {
            return info;
        }
        int bytes = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw new Malformed();
        };
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | next();
        }
        return value;
    }

    private void skip(long length) throws Malformed {
        if (length < 0 || length > in.length - position) {
            throw new Malformed();
        }
        position += (int) length;
    }

    private void copy(int from) {
        out.write(in, from, position - from);
    }

    private int next() throws Malformed {
        if (position >= in.length) {
            throw new Malformed();
        }
        return in[position++] & 0xFF;
    }

    private int peek() throws Malformed {
        if (position >= in.length) {
            throw new Malformed();
        }
        return in[position] & 0xFF;
    }

    /** Not well-formed CBOR; the rewrite gives up and the decoder reports it. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }
}
