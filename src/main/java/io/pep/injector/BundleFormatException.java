package io.pep.injector;

/** A CBOR message that is not a well-formed bundle (or response); carries the FCC status for it. */
public class BundleFormatException extends Exception {

    private final FccReturnStatus status;
    private final String itemName;

    public BundleFormatException(FccReturnStatus status, String itemName, String detail) {
        super(status.messageFor(itemName) + (detail == null ? "" : " (" + detail + ")"));
        this.status = status;
        this.itemName = itemName;
    }

    public FccReturnStatus status() {
        return status;
    }

    /** The InfoMessage an FCC answers with: the status text and the offending item, no detail. */
    public String infoMessage() {
        return status.messageFor(itemName);
    }
}
