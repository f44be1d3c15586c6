package io.pep.export;

import io.pep.identity.EnrollmentCsv;
import com.mongodb.client.MongoCursor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVPrinter;
import org.bson.Document;

/**
 * The body of a CSV drop: an {@link InputStream} that renders SPEC §6 rows from a MongoDB cursor
 * as the file component reads it, a few hundred rows at a time, so a drop of any size needs only
 * a small buffer. Counts the rows it rendered.
 */
public class CsvDrop extends InputStream {

    private static final int CHUNK_CHARS = 64 * 1024;

    private final Iterator<Document> records;
    private final List<String> columns;
    private final Function<Document, List<String>> row;
    private final StringBuilder text = new StringBuilder(CHUNK_CHARS + 1024);
    private final CSVPrinter printer = EnrollmentCsv.printer(text);
    private byte[] chunk = new byte[0];
    private int position;
    private boolean headerWritten;
    private long rows;

    public CsvDrop(Iterable<Document> records) {
        this(records, EnrollmentCsv.COLUMNS, EnrollmentCsv::row);
    }

    /** A drop of other rows than SPEC §6's (the retirements file): its header line and each record's row. */
    public CsvDrop(Iterable<Document> records, List<String> columns, Function<Document, List<String>> row) {
        this.records = records.iterator();
        this.columns = columns;
        this.row = row;
    }

    public static CsvDrop of(Iterable<Document> records) {
        return new CsvDrop(records);
    }

    /** The name a drop is written under until complete: hidden, and not ending in .csv. */
    public static String tempName(String fileName) {
        return "." + fileName + ".part";
    }

    public long getRows() {
        return rows;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, n);
        position += n;
        return n;
    }

    private boolean fill() throws IOException {
        if (position < chunk.length) {
            return true;
        }
        text.setLength(0);
        if (!headerWritten) {
            printer.printRecord(columns);
            headerWritten = true;
        }
        while (text.length() < CHUNK_CHARS && records.hasNext()) {
            printer.printRecord(row.apply(records.next()));
            rows++;
        }
        chunk = text.toString().getBytes(StandardCharsets.UTF_8);
        position = 0;
        return chunk.length > 0;
    }

    @Override
    public void close() {
        if (records instanceof MongoCursor<?> cursor) {
            cursor.close();
        }
    }
}
