package io.influxrelay.write;

import io.influxrelay.fanout.Consistency;

/**
 * A client's write as the backends will get it: the checked line protocol travels as the message
 * body; this record carries what goes with it (exchange property {@link #PROPERTY}).
 *
 * @param query         the client's query string, forwarded untouched (credentials included)
 * @param authorization the client's Authorization header, forwarded untouched; never logged
 * @param invalidLines  lines dropped by the scanner; {@code errors} says why, InfluxDB-style
 */
public record WriteRequest(
        String db,
        String query,
        String authorization,
        Consistency consistency,
        int validLines,
        int invalidLines,
        String errors) {

    public static final String PROPERTY = "relay.write";

    /** What a client that sent bad lines hears once the good ones are written. */
    public String partialWriteError() {
        return "partial write: " + errors + " dropped=" + invalidLines;
    }

    @Override
    public String toString() { // credentials stay out of logs
        return "WriteRequest[db=" + db + ", consistency=" + consistency + ", lines=" + validLines
                + ", invalid=" + invalidLines + "]";
    }
}
