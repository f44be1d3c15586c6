package io.pep.injector;

import java.util.Optional;

/**
 * A status the FCC protocol carries as a number ({@link FccReturnStatus}, {@link FrameStatus}):
 * the enum constant of a code read off the wire, and the way pep names a code in its log.
 */
interface WireStatus {

    int code();

    /** The constant of {@code type} with this {@code code}, if {@code type} knows it. */
    static <E extends Enum<E> & WireStatus> Optional<E> ofCode(Class<E> type, long code) {
        for (E status : type.getEnumConstants()) {
            if (status.code() == code) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** "25 ITEM_NOT_EXIST", or the bare number for a code {@code type} does not know. */
    static <E extends Enum<E> & WireStatus> String describe(Class<E> type, long code) {
        return ofCode(type, code).map(s -> code + " " + s.name()).orElse(Long.toString(code));
    }
}
