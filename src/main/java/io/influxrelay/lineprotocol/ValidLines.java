package io.influxrelay.lineprotocol;

/** Hears each valid line a scan keeps, as it will be forwarded: for splitting a write among shards. */
@FunctionalInterface
public interface ValidLines {
    /**
     * The line is {@code array[from, to)}, its '\n' included; its measurement ends at {@code measurementEnd}
     * (the ',' or ' ' after it), as the scan found it. Those bytes stay as they are (the scanned input,
     * or the scan's own append-only copy of a rewritten line): a listener may keep the range and copy later.
     */
    void line(byte[] array, int from, int measurementEnd, int to);
}
