package io.influxrelay.recovery;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The points of one chunk as batches of line protocol, each made only when the split asks for it from
 * the source's answer as it streams in: one batch and one row are in memory, whatever the chunk holds.
 * A batch stays within maxBytes (a single longer line goes alone) and maxPoints. Rows whose fields are
 * all null are skipped. Closed (by the split, or at its end or on a failure), the answer is dropped.
 */
final class ChunkBatches implements Iterator<LineBatch>, Closeable {
    private final InfluxHttp.RowStream answer;
    private final QueryRows rows;
    private final Map<String, FieldType> types;
    private final String source;
    private final long maxBytes;
    private final int maxPoints;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(64 * 1024);
    private final StringBuilder line = new StringBuilder(256);
    private byte[] pending; // a line read that did not fit the last batch
    private int seriesSeen = -1;
    private String seriesKey;
    private FieldType[] columnTypes;
    private boolean exhausted;

    ChunkBatches(InfluxHttp.RowStream answer, Map<String, FieldType> types, String source, long maxBytes, int maxPoints) {
        this.answer = answer;
        this.rows = answer.rows();
        this.types = types;
        this.source = source;
        this.maxBytes = maxBytes;
        this.maxPoints = Math.max(1, maxPoints);
    }

    /** A chunk with nothing to copy. */
    static Iterator<LineBatch> none() {
        return java.util.Collections.emptyIterator();
    }

    @Override
    public boolean hasNext() {
        return pending != null || !exhausted && advance();
    }

    @Override
    public LineBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        batch.reset();
        int points = 0;
        while (points < maxPoints && (pending != null || advance())) {
            if (points > 0 && batch.size() + pending.length > maxBytes) {
                break;
            }
            batch.writeBytes(pending);
            pending = null;
            points++;
        }
        return new LineBatch(batch.toByteArray(), points);
    }

    /** Reads up to the next row that makes a line, into pending; false at the answer's end. */
    private boolean advance() {
        try {
            while (rows.next()) {
                if (encode()) {
                    return true;
                }
            }
        } catch (IOException e) {
            close();
            throw new RecoveryException("reading " + source + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        exhausted = true;
        close();
        return false;
    }

    private boolean encode() {
        if (rows.seriesObjects() != seriesSeen) {
            seriesSeen = rows.seriesObjects();
            seriesKey = LineEncoder.seriesKey(rows.measurement(), rows.tags());
            columnTypes = columnTypes(rows.columns());
        }
        List<String> columns = rows.columns();
        line.setLength(0);
        line.append(seriesKey).append(' ');
        int fields = 0;
        for (int c = 1; c < columns.size(); c++) {
            Object value = rows.value(c);
            if (value == null) {
                continue;
            }
            if (fields++ > 0) {
                line.append(',');
            }
            LineEncoder.fieldKey(line, columns.get(c));
            line.append('=');
            LineEncoder.fieldValue(line, columnTypes[c] != null ? columnTypes[c] : typeOf(value), value);
        }
        if (fields == 0) {
            return false;
        }
        line.append(' ').append(rows.time()).append('\n');
        pending = line.toString().getBytes(StandardCharsets.UTF_8);
        return true;
    }

    /** Types from SHOW FIELD KEYS; null for a field added since (not listed), typed by its value then. */
    private FieldType[] columnTypes(List<String> columns) {
        FieldType[] typed = new FieldType[columns.size()];
        for (int c = 1; c < columns.size(); c++) {
            typed[c] = types.get(columns.get(c));
        }
        return typed;
    }

    /** A number of unknown type is taken for a float: were it an integer, the target refuses the write and the job fails. */
    private static FieldType typeOf(Object value) {
        return value instanceof String ? FieldType.STRING : value instanceof Boolean ? FieldType.BOOLEAN : FieldType.FLOAT;
    }

    @Override
    public void close() {
        answer.close();
    }
}
