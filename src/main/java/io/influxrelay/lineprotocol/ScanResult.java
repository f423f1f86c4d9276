package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;

/**
 * What {@link LineScanner#scan} made of a body: the valid lines, ready to forward, and InfluxDB-style errors
 * for the rest.
 *
 * <p>The body is {@code body()[bodyOffset(), bodyOffset() + bodyLength())}; each valid line in it is
 * terminated by a single '\n' (so bodies can be concatenated), and carries a timestamp. When no line needed
 * rewriting the body is a slice of the scanned array itself: treat it as read-only.
 */
public final class ScanResult {
    private final byte[] body;
    private final int bodyOffset;
    private final int bodyLength;
    private final int validLines;
    private final int invalidLines;
    private final String errors;
    private final long minTime;
    private final long maxTime;

    ScanResult(byte[] body, int bodyOffset, int bodyLength, int validLines, int invalidLines, String errors,
               long minTime, long maxTime) {
        this.minTime = minTime;
        this.maxTime = maxTime;
        this.body = body;
        this.bodyOffset = bodyOffset;
        this.bodyLength = bodyLength;
        this.validLines = validLines;
        this.invalidLines = invalidLines;
        this.errors = errors;
    }

    /** The array holding the valid lines; may be the scanned input array, see {@link #bodyOffset()}. */
    public byte[] body() {
        return body;
    }

    public int bodyOffset() {
        return bodyOffset;
    }

    public int bodyLength() {
        return bodyLength;
    }

    public int validLines() {
        return validLines;
    }

    public int invalidLines() {
        return invalidLines;
    }

    /** Null when every line was valid; else one "unable to parse '&lt;line&gt;': &lt;reason&gt;" per invalid line, joined by "\n". */
    public String errors() {
        return errors;
    }

    /** The earliest timestamp of the valid lines, in the scan's precision (stamped lines count as stamped). */
    public long minTime() {
        return minTime;
    }

    /** The latest timestamp of the valid lines, in the scan's precision. */
    public long maxTime() {
        return maxTime;
    }

    public boolean hasValidLines() {
        return validLines > 0;
    }

    /** The valid lines as text; for tests and logs, not for the hot path. */
    public String bodyAsString() {
        return new String(body, bodyOffset, bodyLength, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ScanResult[validLines=" + validLines + ", invalidLines=" + invalidLines + ", bodyLength=" + bodyLength + "]";
    }
}
