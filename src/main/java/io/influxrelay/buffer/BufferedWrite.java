package io.influxrelay.buffer;

/**
 * A write waiting in a backend's buffer: the checked lines and what must travel with them. The payload
 * is the relay's own immutable array (never a pooled network buffer), shared by every backend that
 * buffers the same write.
 *
 * @param query         the client's query string (db, rp, precision, consistency, u, p), forwarded as is
 * @param authorization the client's Authorization header or null; never logged
 */
public record BufferedWrite(String query, String authorization, byte[] payload, long enqueuedNanos) {

    /** Writes with the same query string and credentials may be merged into one request. */
    public boolean mergesWith(BufferedWrite other) {
        return query.equals(other.query) && java.util.Objects.equals(authorization, other.authorization);
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
        return "BufferedWrite[" + payload.length + " bytes]";
    }
}
