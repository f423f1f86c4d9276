package io.influxrelay.buffer;

/**
 * A write waiting in a backend's buffer: the payload and what must travel with it. The payload is the
 * relay's own immutable array (never a pooled network buffer), shared by every backend that buffers the
 * same write.
 *
 * Statements that change state (CREATE DATABASE, ...) and Prometheus remote writes queue here too, in
 * order with the line-protocol writes, so a backend that was down gets the database before the writes
 * into it, and every write in the order the relay took it; each replays to its own path ({@link Kind}).
 *
 * @param query         the client's query string (db, rp, precision, consistency, u, p), forwarded as is
 * @param authorization the client's Authorization header or null; never logged
 * @param kind          what the payload is, and so where it replays
 */
public record BufferedWrite(String query, String authorization, byte[] payload, long enqueuedNanos, Kind kind) {

    /** What a buffered payload is: the backend path it goes to and the Content-Type it goes with. */
    public enum Kind {
        /** Line protocol for /write. */
        LINES("/write", "text/plain; charset=utf-8"),
        /** InfluxQL for /query: the payload is its form body (q=...), or empty when q is in the query string. */
        STATEMENTS("/query", "application/x-www-form-urlencoded"),
        /** A Prometheus remote-write body (snappy-compressed protobuf WriteRequest), byte for byte as received. */
        PROMETHEUS("/api/v1/prom/write", "application/x-protobuf");

        private final String path;
        private final String contentType;

        Kind(String path, String contentType) {
            this.path = path;
            this.contentType = contentType;
        }

        public String path() {
            return path;
        }

        public String contentType() {
            return contentType;
        }
    }

    public BufferedWrite(String query, String authorization, byte[] payload, long enqueuedNanos) {
        this(query, authorization, payload, enqueuedNanos, Kind.LINES);
    }

    public boolean statements() {
        return kind == Kind.STATEMENTS;
    }

    /**
     * Line-protocol writes with the same query string and credentials may be merged into one request;
     * statements never, nor remote writes (two snappy blocks one after the other are not one block).
     */
    public boolean mergesWith(BufferedWrite other) {
        return kind == Kind.LINES && other.kind == Kind.LINES
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
        return switch (kind) {
            case LINES -> "BufferedWrite[";
            case STATEMENTS -> "BufferedStatements[";
            case PROMETHEUS -> "BufferedRemoteWrite[";
        } + payload.length + " bytes]";
    }
}
