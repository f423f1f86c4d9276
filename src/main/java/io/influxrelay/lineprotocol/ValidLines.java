package io.influxrelay.lineprotocol;

/** Hears each valid line a scan keeps, as it will be forwarded: for splitting a write among shards. */
@FunctionalInterface
public interface ValidLines {
    /** The line is {@code array[from, to)}, its '\n' included; copy what you keep, the array is the scan's. */
    void line(byte[] array, int from, int to);
}
