package io.pep.injector;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * One item of a bundle group. {@code data} is a {@link String} (CBOR text), a {@code byte[]}
 * (CBOR byte string) or a {@link BigInteger}/{@link Long} (CBOR integer); {@code type} is set only
 * for {@code Keys} items, {@code format} for {@code Keys} and {@code Certificates} items.
 */
public record BundleItem(String name, Object data, String type, String format) {

    public static final String FORMAT_DER = "der";
    public static final String TYPE_EC_PRIVATE = "ECCPrivate";
    public static final String TYPE_EC_PUBLIC = "ECCPublic";

    public BundleItem {
        Objects.requireNonNull(name, "name");
        if (data != null && !(data instanceof String || data instanceof byte[] || data instanceof Long
                || data instanceof BigInteger)) {
            throw new IllegalArgumentException("item data must be text, bytes or an integer: " + data.getClass());
        }
    }

    /** A {@code ConfigParams} item. */
    public static BundleItem config(String name, Object data) {
        return new BundleItem(name, data instanceof Integer i ? Long.valueOf(i) : data, null, null);
    }

    /** A {@code Keys} item holding a DER private key. */
    public static BundleItem privateKey(String name, byte[] der) {
        return new BundleItem(name, der, TYPE_EC_PRIVATE, FORMAT_DER);
    }

    /** A {@code Certificates} item holding a DER certificate. */
    public static BundleItem certificate(String name, byte[] der) {
        return new BundleItem(name, der, null, FORMAT_DER);
    }

    public boolean isText() {
        return data instanceof String;
    }

    public boolean isBytes() {
        return data instanceof byte[];
    }

    /** The data as a non-negative integer, or null when it is anything else (text, bytes, negative). */
    public BigInteger unsignedValue() {
        BigInteger value = data instanceof Long l ? BigInteger.valueOf(l) : data instanceof BigInteger b ? b : null;
        return value != null && value.signum() >= 0 ? value : null;
    }

    public String text() {
        return data instanceof String s ? s : null;
    }

    public byte[] bytes() {
        return data instanceof byte[] b ? b.clone() : null;
    }

    @Override
    public String toString() {
        String shown = data instanceof byte[] b ? b.length + " bytes" : String.valueOf(data);
        return name + "=" + shown;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BundleItem that && name.equals(that.name) && Objects.equals(type, that.type)
                && Objects.equals(format, that.format) && Objects.deepEquals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, format, data instanceof byte[] b ? Arrays.hashCode(b) : data);
    }
}
