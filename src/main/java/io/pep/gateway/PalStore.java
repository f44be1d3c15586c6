package io.pep.gateway;

import io.pep.injector.BundleItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the simulated gateway stored, under {@code <root>/pal/WORKING/} like the real FCC's
 * {@code pal} folder, but in clear and with readable names: keys and certificates as
 * {@code <item name>.der}, config items as {@code <item name>} (text as UTF-8, byte strings as
 * is, integers as 4 little-endian bytes like KCM stores them). Writes are serialized, so
 * concurrent sessions never interleave an erase with a write; with several sessions at once the
 * store shows the items of whichever session wrote last (one real gateway has one session).
 */
final class PalStore {

    private final Path root;

    PalStore(Path root) {
        this.root = root;
    }

    Path workingDir() {
        return root.resolve("pal").resolve("WORKING");
    }

    /** FCC erases its storage on the first good message of a session. */
    synchronized void erase() {
        Path pal = root.resolve("pal");
        if (!Files.exists(pal)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(pal)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot erase " + pal, e);
        }
    }

    synchronized void write(Collection<BundleItem> items) {
        try {
            Files.createDirectories(workingDir());
            for (BundleItem item : items) {
                boolean der = item.type() != null || item.format() != null;
                Files.write(workingDir().resolve(fileName(item.name()) + (der ? ".der" : "")), bytes(item));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + workingDir(), e);
        }
    }

    /** Item names come from the network: keep them inside the store whatever they contain. */
    static String fileName(String itemName) {
        String safe = itemName.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.startsWith(".") ? "_" + safe : safe;
    }

    private static byte[] bytes(BundleItem item) {
        if (item.isText()) {
            return item.text().getBytes(StandardCharsets.UTF_8);
        }
        if (item.isBytes()) {
            return item.bytes();
        }
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(item.unsignedValue().intValue()).array();
    }
}
