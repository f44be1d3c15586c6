package io.pep.store;

import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Which index maps of the embedded store hold a complete build, kept in the file beside them.
 *
 * <p>mongo-java-server builds an index from every document of its collection whenever the index
 * reports itself empty when it is opened — at every start. A sparse index with no entries (the
 * records' {@code reservation} index, empty whenever no gateway is being provisioned) is empty by
 * design, so each start read every record twice (bench/notes/history.md: the start on a big data folder).
 * An index now reports "empty" only until its build is recorded here; a map with no record of a
 * complete build (new, converted, from an earlier pep, or caught mid-build by a crash) is emptied
 * and built once from the documents, then recorded.
 */
final class IndexBuilds {

    private static final String MAP_NAME = "pep.index-builds";

    private final MVMap<String, Integer> builds;

    IndexBuilds(MVStore store) {
        this.builds = store.openMap(MAP_NAME);
    }

    /**
     * A data folder of an earlier pep has no record of builds: its index maps (names ending with one
     * of {@code suffixes}) were kept up to date on every write and are recorded as built, so the
     * first start after an upgrade does not build them all again.
     */
    static void adoptEarlierIndexes(MVStore store, List<String> suffixes) {
        if (store.hasMap(MAP_NAME)) {
            return;
        }
        MVMap<String, Integer> builds = store.openMap(MAP_NAME);
        for (String name : store.getMapNames()) {
            String id = store.getMetaMap().get("name." + name); // MVStore's map-name entry: the map's id in hex
            if (id != null && suffixes.stream().anyMatch(name::endsWith)) {
                builds.put(name, Integer.parseInt(id, 16));
            }
        }
    }

    /** The build state of an index's map. */
    Build open(MVMap<?, ?> map) {
        // the map's id, not only its name: a map dropped and made again under the name is not built
        return new Build(map, Integer.valueOf(map.getId()).equals(builds.get(map.getName())));
    }

    /** An index whose map's build is recorded here (its collection completes it when it adds the index). */
    interface Recorded {
        Build build();
    }

    /** One index map's build. */
    final class Build {
        private final MVMap<?, ?> map;
        private volatile boolean done;

        private Build(MVMap<?, ?> map, boolean done) {
            this.map = map;
            this.done = done;
        }

        /**
         * True when the map has no complete build: it is emptied then, for mongo-java-server to build
         * it. Asked only by its collection, just before that build (never while the map serves).
         */
        boolean needed() {
            if (done) {
                return false;
            }
            map.clear();
            return true;
        }

        /** The index holds every document's keys now (recorded with the store's next commit). */
        void complete() {
            if (!done) {
                builds.put(map.getName(), map.getId());
                done = true;
            }
        }
    }
}
