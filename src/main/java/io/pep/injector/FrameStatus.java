package io.pep.injector;

import java.util.Optional;

/**
 * The status word of an FCC response frame (ftcd-comm-base's {@code ftcd_comm_status_e}). Only
 * {@link #SUCCESS} is followed by a message; every other status ends the frame.
 */
public enum FrameStatus implements WireStatus {
    SUCCESS(0),
    ERROR(1),
    INVALID_PARAMETER(2),
    MEMORY_OUT(3),
    READ_SIZE(4),
    READ_BYTES(5),
    READ_SIGNATURE(6),
    CALC_SIGNATURE(7),
    INCONSISTENT_SIGNATURE(8),
    FAILED_TO_PROCESS_DATA(9),
    PROCESS_MESSAGE(10),
    SEND_RESPONSE(11),
    TIMEOUT(12),
    CONN_ERROR(13),
    CONN_CLOSED(14),
    INTERNAL(15);

    private final int code;

    FrameStatus(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public static Optional<FrameStatus> ofCode(long code) {
        return WireStatus.ofCode(FrameStatus.class, code);
    }

    /** "8 INCONSISTENT_SIGNATURE", or the bare number for a code this enum does not know. */
    public static String describe(long code) {
        return WireStatus.describe(FrameStatus.class, code);
    }
}
