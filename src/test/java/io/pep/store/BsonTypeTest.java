package io.pep.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Keys are written field by field, not through a Document: the bytes must stay exactly those the
 * Document encoding wrote, or data folders written before would no longer be read the same way.
 */
class BsonTypeTest {

    private static final List<Object> VALUES = List.of("GW-0001", "Zürich-🛰", 42, 7_000_000_000L, true, 1.5,
            new ObjectId(), Instant.parse("2026-11-29T22:00:00Z"), new Document("nested", "yes"));

    @Test
    void indexKeysAreTheBytesTheirDocumentFormHad() {
        List<List<Object>> keys = new ArrayList<>();
        VALUES.forEach(value -> keys.add(List.of(value)));
        keys.add(Arrays.asList("GW-0001", Missing.getInstance(), 3));
        keys.add(Arrays.asList(Missing.getInstance()));
        keys.add(Arrays.asList((Object) null));
        List<Object> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(i % 3 == 0 ? Missing.getInstance() : "v" + i);
        }
        keys.add(eleven);
        for (List<Object> values : keys) {
            KeyValue key = new KeyValue(values);
            Document asDocument = new Document("n", key.size());
            for (int i = 0; i < key.size(); i++) {
                if (!(key.get(i) instanceof Missing)) {
                    asDocument.put(Integer.toString(i), key.get(i));
                }
            }
            assertArrayEquals(documentBytes(asDocument), written(BsonType.KEY_VALUES, key), values.toString());
            assertEquals(key, read(BsonType.KEY_VALUES, written(BsonType.KEY_VALUES, key)), values.toString());
        }
    }

    @Test
    void idsAreTheBytesTheirDocumentFormHad() {
        for (Object id : VALUES) {
            assertArrayEquals(documentBytes(new Document("k", id)), written(BsonType.IDS, id), id.toString());
            assertEquals(id, read(BsonType.IDS, written(BsonType.IDS, id)));
        }
        assertArrayEquals(documentBytes(new Document()), written(BsonType.IDS, Missing.getInstance()));
        assertEquals(Missing.getInstance(), read(BsonType.IDS, written(BsonType.IDS, Missing.getInstance())));
    }

    @Test
    void aLargeDocumentFollowedByASmallOneWritesEachWhole() {
        Document large = new Document("_id", 1).append("blob", "x".repeat(100_000));
        Document small = new Document("_id", 2).append("serialNumber", "GW-0002");
        assertArrayEquals(documentBytes(large), written(BsonType.DOCUMENTS, large));
        assertArrayEquals(documentBytes(small), written(BsonType.DOCUMENTS, small));
    }

    private static byte[] documentBytes(Document document) {
        ByteBuf bson = Unpooled.buffer();
        BsonEncoder.encodeDocument(document, bson);
        return ByteBufUtil.getBytes(bson);
    }

    private static <T> byte[] written(BsonType<T> type, T value) {
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, value);
        ByteBuffer written = buffer.getBuffer();
        written.flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    private static <T> T read(BsonType<T> type, byte[] bytes) {
        return type.read(ByteBuffer.wrap(bytes));
    }
}
