package io.influxrelay.buffer;

/**
 * A write waiting in a backend's buffer: the checked lines and what must travel with them. The payload
 * is the relay's own immutable array (never a pooled network buffer), shared by every backend that
 * buffers the same write.
 *
 * Statements that change state (CREATE DATABASE, ...) queue here too, in order with the writes, so a
 * backend that was down gets the database before the writes into it; they replay to /query.
 *
 * @param query         the client's query string (db, rp, precision, consistency, u, p), forwarded as is
 * @param authorization the client's Authorization header or null; never logged
 * @param statements    true: InfluxQL for /query, the payload its form body (q=...) or empty when q is
 *                      in the query string; false: line protocol for /write
 */
public record BufferedWrite(String query, String authorization, byte[] payload, long enqueuedNanos, boolean statements) {

    public BufferedWrite(String query, String authorization, byte[] payload, long enqueuedNanos) {
        this(query, authorization, payload, enqueuedNanos, false);
    }

    /** Writes with the same query string and credentials may be merged into one request; statements never. */
    public boolean mergesWith(BufferedWrite other) {
        return !statements && !other.statements
                && query.equals(other.query) && java.util.Objects.equals(authorization, other.authorization);
    }

    /**
     * Bytes this write holds in memory, counted against the buffer's size: the payload, plus what an
     * entry costs beyond it (the record, its exchange and queue node), measured at about 1 KiB.
     */
    public long footprint() {
        return payload.length + ENTRY_OVERHEAD;
    }

    static final int ENTRY_OVERHEAD = 1024;

    @Override
    public String toString() { // credentials stay out of logs
        return (statements ? "BufferedStatements[" : "BufferedWrite[") + payload.length + " bytes]";
    }
}
