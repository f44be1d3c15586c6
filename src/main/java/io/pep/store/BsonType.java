package io.pep.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded store keeps documents and their {@code _id}s on disk: as BSON (mongo-java-server's
 * own wire codec) instead of MVStore's default, Java serialization, which cost ~100 µs per document
 * read and made a scan of a million records take minutes. Keys compare in MongoDB's order
 * ({@link ValueComparator}), so the B-tree's order is the {@code _id} order of every type.
 */
abstract class BsonType<T> extends BasicDataType<T> {

    /** Documents (the values of a collection's map). */
    static final BsonType<Document> DOCUMENTS = new BsonType<>() {
        @Override
        public int getMemory(Document document) {
            return 2048; // a decoded record of ~12 fields on the heap; only the cache's accounting
        }

        @Override
        void encode(Document document, ByteBuf bson) {
            BsonEncoder.encodeDocument(document, bson);
        }

        @Override
        Document fromDocument(Document document) {
            return document;
        }

        @Override
        public Document[] createStorage(int size) {
            return new Document[size];
        }
    };

    /** {@code _id} values (the keys of a collection's map), stored as {@code {k: value}}. */
    static final BsonType<Object> IDS = new BsonType<>() {
        @Override
        public int getMemory(Object id) {
            return 64;
        }

        @Override
        public int compare(Object a, Object b) {
            return ValueComparator.asc().compare(a, b);
        }

        @Override
        void encode(Object id, ByteBuf bson) {
            encodeElements(bson, id instanceof Missing ? NO_NAMES : ID_NAME, new Object[] {id});
        }

        @Override
        Object fromDocument(Document document) {
            return document.containsKey("k") ? document.get("k") : Missing.getInstance();
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    };

    /**
     * Index keys ({@link KeyValue}: the indexed fields' values of one document), stored as
     * {@code {n: count, 0: v0, 1: v1, ...}} (a missing field left out) and compared value by value in
     * MongoDB's order. MVStore's default would Java-serialize every key on each commit and on each
     * comparison of a look-up (most of the store's CPU at 16 gateways).
     */
    static final BsonType<KeyValue> KEY_VALUES = new BsonType<>() {
        @Override
        public int getMemory(KeyValue key) {
            return 48 + 32 * key.size();
        }

        @Override
        public int compare(KeyValue a, KeyValue b) {
            int common = Math.min(a.size(), b.size());
            for (int i = 0; i < common; i++) {
                int order = ValueComparator.asc().compare(a.get(i), b.get(i));
                if (order != 0) {
                    return order;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        void encode(KeyValue key, ByteBuf bson) {
            int size = key.size();
            String[] names = new String[size + 1];
            Object[] values = new Object[size + 1];
            names[0] = "n";
            values[0] = size;
            for (int i = 0; i < size; i++) {
                if (!(key.get(i) instanceof Missing)) {
                    names[i + 1] = i < POSITIONS.length ? POSITIONS[i] : Integer.toString(i);
                    values[i + 1] = key.get(i);
                }
            }
            encodeElements(bson, names, values);
        }

        @Override
        KeyValue fromDocument(Document document) {
            int size = ((Number) document.get("n")).intValue();
            List<Object> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String name = Integer.toString(i);
                values.add(document.containsKey(name) ? document.get(name) : Missing.getInstance());
            }
            return new KeyValue(values);
        }

        @Override
        public KeyValue[] createStorage(int size) {
            return new KeyValue[size];
        }
    };

    private static final String[] NO_NAMES = {null};
    private static final String[] ID_NAME = {"k"};
    /** The field names of an index key's values: "0", "1", ... */
    private static final String[] POSITIONS = {"0", "1", "2", "3", "4", "5", "6", "7"};

    abstract T fromDocument(Document document);

    @Override
    public void write(WriteBuffer buff, T value) {
        ByteBuf bson = scratch();
        encode(value, bson);
        buff.put(bson.nioBuffer());
    }

    /**
     * Writes the value as one BSON document. Keys are written field by field rather than through a
     * Document built for the purpose: MVStore rewrites every key of a changed page on each commit.
     */
    abstract void encode(T value, ByteBuf bson);

    /** A cleared buffer of this thread's (MVStore serializes a page's every key and value on each commit). */
    private static ByteBuf scratch() {
        ByteBuf bson = SCRATCH.get();
        if (bson.capacity() > 1 << 16) { // a rare large document: do not keep its buffer
            bson = Unpooled.buffer(512);
            SCRATCH.set(bson);
        }
        return bson.clear();
    }

    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(512));

    /** Writes {@code {k0: v0, k1: v1, ...}} as encodeDocument would for a Document holding them in that order. */
    static void encodeElements(ByteBuf bson, String[] names, Object[] values) {
        int start = bson.writerIndex();
        bson.writeIntLE(0);
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                byte type = BsonEncoder.determineType(values[i]);
                bson.writeByte(type);
                bson.writeCharSequence(names[i], StandardCharsets.UTF_8);
                bson.writeByte(0);
                BsonEncoder.encodeValue(type, values[i], bson);
            }
        }
        bson.writeByte(0);
        bson.setIntLE(start, bson.writerIndex() - start);
    }

    @Override
    public T read(ByteBuffer buff) {
        int length = buff.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        ByteBuffer bson = buff.slice();
        bson.limit(length);
        buff.position(buff.position() + length);
        return fromDocument(BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson)));
    }
}
