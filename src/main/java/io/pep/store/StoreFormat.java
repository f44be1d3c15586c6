package io.pep.store;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The layout of the embedded store's file, as a version number kept in the file itself.
 *
 * <p>A pep refuses a file written in a newer layout than it reads. An older pep finds none of a
 * newer layout's maps: it would take the store for empty, forget every gateway it holds and
 * provision known serials again. Version 1 is this layout: documents as BSON ({@code #bson}
 * maps), ordered index maps ({@code #ordered}) and their build records ({@link IndexBuilds}). A
 * pep that changes the layout raises {@link #CURRENT}, and converts the older layouts when it
 * opens them, as this one converts the Java-serialized maps of the first releases.
 */
final class StoreFormat {

    static final int CURRENT = 1;
    static final String MAP_NAME = "pep.store-format";
    private static final String VERSION = "version";

    private StoreFormat() {
    }

    /** Records {@link #CURRENT} in {@code store}; refuses a store of a newer layout, leaving it as it is. */
    static void check(MVStore store, Path file) {
        MVMap<String, Integer> format = store.openMap(MAP_NAME);
        Integer written = format.get(VERSION);
        if (written != null && written > CURRENT) {
            throw new DataFolderRefused("the data folder " + file.getParent() + " was written by a newer pep (store"
                    + " format " + written + "; this pep reads format " + CURRENT + " and older): run that pep or a newer"
                    + " one, or this pep on a copy of the folder from before the upgrade");
        }
        if (written == null || written < CURRENT) {
            format.put(VERSION, CURRENT);
        }
    }
}
