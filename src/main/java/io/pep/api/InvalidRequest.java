package io.pep.api;

/**
 * The name site route files of earlier releases use in {@code throwException}; kept so they load
 * unchanged. New files use {@link io.pep.identity.InvalidRequest}.
 *
 * @deprecated use {@link io.pep.identity.InvalidRequest}
 */
@Deprecated
public class InvalidRequest extends io.pep.identity.InvalidRequest {

    public InvalidRequest(String message) {
        super(message);
    }
}
