package io.pep.store;

/**
 * A data folder (store file, journal, lock) pep will not start on, in one sentence for the
 * operator: which file, what is wrong with it, what to do. {@code PepApplication} prints this
 * sentence alone ("pep did not start: …"), without the start-up machinery's wrappers around it.
 */
public class DataFolderRefused extends IllegalStateException {

    public DataFolderRefused(String message) {
        super(message);
    }

    public DataFolderRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
