package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;

/**
 * The parts of a valid line that decide its shard: the measurement and a tag's value, as InfluxDB
 * names them (unescaped), read off the line without parsing the rest.
 */
public final class PointKeys {
    private PointKeys() {
    }

    /** The measurement as InfluxDB stores it (Go's escape.Unescape). */
    public static String measurement(byte[] b, int from) {
        return PointSyntax.measurementName(b, from);
    }

    /**
     * The value of tag {@code key} (unescaped), or null when the line has no such tag; the line's measurement
     * ends at {@code measurementEnd}, as the scan found it (ValidLines), and the line at {@code to}.
     */
    public static String tagValue(byte[] b, int measurementEnd, int to, String key) {
        int i = measurementEnd;
        while (i < to && b[i] == ',') {
            int keyStart = ++i;
            int keyEnd = next(b, i, to, '=');
            int valueStart = keyEnd + 1;
            int valueEnd = Math.min(next(b, valueStart, to, ','), next(b, valueStart, to, ' '));
            if (unescape(b, keyStart, keyEnd).equals(key)) {
                return unescape(b, valueStart, valueEnd);
            }
            i = valueEnd;
        }
        return null;
    }

    private static int next(byte[] b, int i, int to, char c) {
        for (; i < to; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == c) {
                return i;
            }
        }
        return to;
    }

    private static String unescape(byte[] b, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\' && i + 1 < to && (b[i + 1] == ',' || b[i + 1] == '=' || b[i + 1] == ' ')) {
                i++;
            }
            out[n++] = b[i];
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
