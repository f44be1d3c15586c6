package io.pep.identity;

/** What was asked for does not exist (no deployed gateway with that serial, no such page): "Not found!". */
public class NotFound extends RuntimeException {

    /** The original server's words (SPEC §1), which old scripts compare. */
    public static final String TEXT = "Not found!";

    public NotFound() {
        super(TEXT);
    }
}
