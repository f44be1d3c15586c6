package io.pep.provisioning;

import io.pep.store.DataFolderRefused;
import io.pep.store.DataFolderWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local, append-only record of every identity a factory tool gave a gateway, written and
 * fsync'd <em>before</em> the store is told: if the store is down (or pep dies) between the
 * injection and the store write, the enrollment id is still on disk and {@link JournalReplay}
 * writes it to the store later. One JSON line per event in {@code identities.log}:
 * {@code injected} (serialNumber, enrollmentID, the record's fields, time) and {@code recorded}.
 * It holds what the record holds (SPEC §2), never the device certificate or a private key.
 *
 * <p>A recorded entry stays {@code keepRecordedMs} more, and every entry found at start-up is
 * checked against the store again: a store that acknowledged a write it had not made durable
 * yet (a MongoDB whose write concern does not wait for its journal; the embedded store with
 * {@code pep.mongo.embedded-fsync=false} at a power loss) loses nothing the journal still holds. Then {@link #compact} rewrites the file without it.
 */
public class ProvisioningJournal implements AutoCloseable {

    static final String FILE_NAME = "identities.log";
    /** Dead lines tolerated beyond 4 per live entry before {@link #compact} rewrites the file. */
    static final int REWRITE_SLACK = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningJournal.class);
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** An identity a gateway holds whose record may not be in the store yet. */
    public static final class Entry {
        final String id;
        final Document record;
        final long time;
        /** The reservation key it was injected under (a lease number to give back once recorded). */
        final String reservation;
        /** Set when the request gave up on the store, or loaded at start: the replay's to record or check. */
        volatile boolean unrecorded;
        /** When the store took it (0: not yet). */
        volatile long recordedAt;
        /** Its line's place in the journal's appends: durable once a force covered it. */
        long ticket;

        Entry(String id, Document record, long time, String reservation, boolean unrecorded) {
            this.id = id;
            this.record = record;
            this.time = time;
            this.reservation = reservation;
            this.unrecorded = unrecorded;
        }

        public String serialNumber() {
            return record.getString("serialNumber");
        }

        public String enrollmentId() {
            return record.getString("enrollmentID");
        }

        /** A copy of the record as the store should hold it (with its {@code _id}). */
        public Document record() {
            return Document.parse(record.toJson(JSON));
        }
    }

    private final Path file;
    private final long keepRecordedMs;
    private final Supplier<DataFolderWatch> watch;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private FileChannel channel;
    private int lines;
    /** Entries flagged {@code unrecorded}: while none is, {@link #pendingRecord} needs no walk. */
    private int flagged;
    /** Lines appended that must be forced, and how far a force covered (group fsync, {@link #force}). */
    private long appended;
    private long forcedUpTo;
    private long forces;
    private final Object forceLock = new Object();
    /** Starts the fsync of {@link #injectedForcing} at once, beside the request's store write. */
    private final java.util.concurrent.ExecutorService forcer = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "pep-journal-force");
                thread.setDaemon(true);
                return thread;
            });

    public ProvisioningJournal(Path dir, long keepRecordedMs) {
        this(dir, keepRecordedMs, null);
    }

    /**
     * As {@link #ProvisioningJournal(Path, long)}; a failed write also trips the {@code watch} (a full
     * disk: 503, not ready; looked up when a write fails, may give null).
     */
    public ProvisioningJournal(Path dir, long keepRecordedMs, Supplier<DataFolderWatch> watch) {
        this.file = dir.resolve(FILE_NAME);
        this.keepRecordedMs = keepRecordedMs;
        this.watch = watch;
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                load();
            }
            channel = open();
        } catch (IOException e) {
            throw new DataFolderRefused("cannot open the provisioning journal " + file.toAbsolutePath() + " (" + e
                    + "): check the folder's permissions and free space, then start pep again", e);
        }
        if (pendingCount() > 0) {
            LOG.warn("The provisioning journal holds {} identit(ies) not yet confirmed in the store; replaying them",
                    pendingCount());
        }
    }

    /**
     * Reads every entry. A last line without its newline was cut by a crash mid-append (never forced,
     * so never acknowledged): it is cut off the file, so the next append starts a line of its own. Any
     * other line that is not a journal entry stops the start: the file may hold identities the store
     * lacks, and pep must not drop them silently.
     */
    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            if (bytes[end] != '{') {
                throw damaged(lineCount(bytes, end) + 1, "not a journal entry");
            }
            LOG.warn("Dropping the last line of {} ({} bytes): a crash cut it before it was acknowledged", file,
                    bytes.length - end);
            try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
                cut.truncate(end);
                cut.force(true);
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        int number = 0;
        for (int start = 0; start < end; ) {
            int newline = start;
            while (bytes[newline] != '\n') {
                newline++;
            }
            number++;
            String line;
            try {
                line = utf8.decode(ByteBuffer.wrap(bytes, start, newline - start)).toString();
            } catch (CharacterCodingException e) {
                throw damaged(number, "not UTF-8 text");
            }
            start = newline + 1;
            if (!line.isBlank()) {
                load(line, number);
            }
        }
    }

    private void load(String line, int number) {
        Document event;
        String id;
        try {
            event = Document.parse(line);
            id = event.getString("id");
        } catch (RuntimeException e) {
            throw damaged(number, "not a journal entry");
        }
        String kind = event.get("event") instanceof String text ? text : "";
        if (id == null || !kind.equals("injected") && !kind.equals("recorded")
                || kind.equals("injected") && !(event.get("record") instanceof Document)) {
            throw damaged(number, "not a journal entry");
        }
        lines++;
        if (kind.equals("injected")) {
            Entry loaded = new Entry(id, event.get("record", Document.class), timeOf(event),
                    event.getString("reservation"), true);
            Entry replaced = entries.put(id, loaded);
            if (replaced == null || !replaced.unrecorded) {
                flagged++;
            }
        } else if (entries.containsKey(id)) {
            entries.get(id).recordedAt = timeOf(event);
        }
    }

    private static long timeOf(Document event) {
        return event.get("time") instanceof Number time ? time.longValue() : 0;
    }

    private DataFolderRefused damaged(int line, String what) {
        return new DataFolderRefused("the provisioning journal " + file.toAbsolutePath() + " is damaged at line " + line
                + " (" + what + "): it may hold identities the store does not have yet; restore the file from a backup,"
                + " or move it away to start without it (pep then cannot record what only it held)");
    }

    private static int lineCount(byte[] bytes, int end) {
        int count = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** The factory tool gave the gateway this identity: on disk (fsync'd) before anything else happens. */
    public void injected(Reservation reservation, String enrollmentId) {
        Entry entry = append(reservation, enrollmentId);
        force(entry.ticket);
    }

    /**
     * As {@link #injected}, but the fsync runs in the background while the caller writes the store;
     * {@link #awaitDurable} before the answer. Either the store's durable write or this line is on
     * disk before a 200, as with {@link #injected}, and the two fsyncs overlap instead of adding up.
     */
    public void injectedForcing(Reservation reservation, String enrollmentId) {
        Entry entry = append(reservation, enrollmentId);
        forcer.execute(() -> {
            try {
                force(entry.ticket);
            } catch (RuntimeException e) {
                LOG.debug("Background journal force failed ({}); the request forces again", e.getMessage());
            }
        });
    }

    /**
     * Returns once the reservation's {@code injected} line is forced to the disk (mostly at once: done
     * meanwhile). Should the force fail after the store took the record, the store's durable copy
     * stands: a warning, not a failure (the route would remove the record as a failed attempt's).
     */
    public void awaitDurable(Reservation reservation) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(reservation.id().toHexString());
            if (entry == null) {
                return; // compacted away: forced with the new file
            }
        }
        try {
            force(entry.ticket);
        } catch (UncheckedIOException e) {
            if (entry.recordedAt == 0) {
                throw e;
            }
            LOG.warn("The journal line of '{}' could not be forced ({}); the store holds its record", entry.serialNumber(),
                    e.getMessage());
        }
    }

    private synchronized Entry append(Reservation reservation, String enrollmentId) {
        String id = reservation.id().toHexString();
        Entry entry = new Entry(id, reservation.deployed(enrollmentId), System.currentTimeMillis(), reservation.key(), false);
        append(event(entry));
        entries.put(id, entry);
        entry.ticket = ++appended;
        return entry;
    }

    /**
     * Group fsync: forces the journal once for every line appended before the force started, outside
     * the journal's lock, so the other requests append (and look up) meanwhile and the ones waiting
     * here are mostly covered by a force already running (at 16 gateways: one fsync for several).
     * A {@link #compact} in between forced the new file with every entry, and closed the old channel.
     */
    private void force(long ticket) {
        synchronized (forceLock) {
            if (forcedUpTo >= ticket) {
                return;
            }
            long upTo;
            FileChannel written;
            synchronized (this) {
                upTo = appended;
                written = channel;
            }
            try {
                written.force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                synchronized (this) {
                    if (written == channel) {
                        throw writeFailed(e);
                    }
                } // a compact swapped the file meanwhile, forced with every entry
            } catch (IOException e) {
                throw writeFailed(e);
            }
            forcedUpTo = upTo;
            forces++;
        }
    }

    /** fsyncs of the journal so far (one per group of injections): lets benchmarks see the group fsync. */
    public long forces() {
        synchronized (forceLock) {
            return forces;
        }
    }

    /** The record is in the store: the entry needs no replay (not fsync'd: a replay would be a no-op). */
    public synchronized void recorded(Reservation reservation) {
        recorded(reservation.id().toHexString());
    }

    synchronized void recorded(String id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return;
        }
        flag(entry, false);
        if (entry.recordedAt == 0) {
            entry.recordedAt = System.currentTimeMillis();
            append(recordedEvent(entry)); // not forced: a replay of it would be a no-op
        }
    }

    /** The request could not write the record: the replay takes over. */
    public synchronized void unrecorded(Reservation reservation) {
        Entry entry = entries.get(reservation.id().toHexString());
        if (entry != null && entry.recordedAt == 0) {
            flag(entry, true);
            LOG.warn("The identity of '{}' ({}) is kept in {} until the store takes it", entry.serialNumber(),
                    entry.enrollmentId(), file);
        }
    }

    /** The record of a gateway that holds an identity the store does not know yet, or null. */
    public synchronized Document pendingRecord(String serialNumber) {
        if (flagged == 0) {
            return null; // the usual case: asked on every request, so no walk over the recent entries
        }
        for (Entry entry : entries.values()) {
            if (entry.unrecorded && entry.recordedAt == 0 && entry.serialNumber().equals(serialNumber)) {
                return entry.record();
            }
        }
        return null;
    }

    /** The entries the replay should write to (or check against) the store. */
    public synchronized List<Entry> unrecorded() {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (entry.unrecorded) {
                due.add(entry);
            }
        }
        return due;
    }

    /** Identities the store has not confirmed yet. */
    public synchronized int pendingCount() {
        int count = 0;
        for (Entry entry : entries.values()) {
            if (entry.recordedAt == 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * Forgets the entries recorded more than keepRecordedMs ago and checked, and rewrites the file
     * (atomic rename) without them once it is mostly such lines (or holds nothing live).
     */
    public synchronized void compact() {
        long before = System.currentTimeMillis() - keepRecordedMs;
        entries.values().removeIf(entry -> !entry.unrecorded && entry.recordedAt != 0 && entry.recordedAt <= before);
        // rewritten only once mostly dead lines (amortised): rewriting the whole keep window at every
        // heartbeat would hold the lock every injection waits for
        if (lines == 0 || !entries.isEmpty() && lines <= 4L * entries.size() + REWRITE_SLACK) {
            return;
        }
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int written = 0;
            for (Entry entry : entries.values()) {
                out.write(line(event(entry)));
                written++;
                if (entry.recordedAt != 0) {
                    out.write(line(recordedEvent(entry)));
                    written++;
                }
            }
            out.force(true);
            channel.close();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.getParent());
            channel = open();
            lines = written;
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private static Document event(Entry entry) {
        return new Document("event", "injected").append("id", entry.id).append("time", entry.time)
                .append("serialNumber", entry.serialNumber()).append("enrollmentID", entry.enrollmentId())
                .append("reservation", entry.reservation).append("record", entry.record);
    }

    private static Document recordedEvent(Entry entry) {
        return new Document("event", "recorded").append("id", entry.id).append("time", entry.recordedAt);
    }

    private void flag(Entry entry, boolean unrecorded) {
        if (entry.unrecorded != unrecorded) {
            flagged += unrecorded ? 1 : -1;
        }
        entry.unrecorded = unrecorded;
    }

    private void append(Document event) {
        ByteBuffer bytes = line(event);
        long before = -1;
        try {
            before = channel.size();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            lines++;
        } catch (IOException e) {
            cutPartialLine(before);
            throw writeFailed(e);
        }
    }

    /** A full disk may take part of a line: cut it, so the next append starts a line of its own. */
    private void cutPartialLine(long size) {
        try {
            if (size >= 0 && channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException e) {
            // the load at the next start cuts an unfinished last line
        }
    }

    private UncheckedIOException writeFailed(IOException e) {
        DataFolderWatch tripped = watch == null ? null : watch.get();
        if (tripped != null) {
            tripped.failed(file.getParent(), e);
        }
        return new UncheckedIOException("cannot write the provisioning journal " + file, e);
    }

    private static ByteBuffer line(Document event) {
        return StandardCharsets.UTF_8.encode(event.toJson(JSON) + "\n");
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened; the rename is still atomic
        }
    }

    @Override
    public synchronized void close() {
        forcer.shutdown();
        try {
            channel.close();
        } catch (IOException e) {
            // closing at shutdown: everything acknowledged was forced already
        }
    }
}
