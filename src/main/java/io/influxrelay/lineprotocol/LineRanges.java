package io.influxrelay.lineprotocol;

/**
 * A write's lines as ranges of arrays that stay as they are (the scanned input, the scan's own copy of
 * rewritten lines): one shard's part of a split write. The backend client sends the ranges as they stand
 * (netty copies them into its own buffers as it writes, as it would from one array); they are copied into
 * one array only for what keeps them (a retry buffer, an HTTPS client), once.
 */
public final class LineRanges {
    private final byte[][] arrays;
    private final int[] from;
    private final int[] to;
    private final int length;
    private volatile byte[] bytes;

    /** The ranges {@code arrays[i][from[i], to[i])}, in order (the arrays are taken as they are, not copied). */
    public LineRanges(byte[][] arrays, int[] from, int[] to) {
        this.arrays = arrays;
        this.from = from;
        this.to = to;
        int n = 0;
        for (int i = 0; i < arrays.length; i++) {
            n += to[i] - from[i];
        }
        this.length = n;
    }

    /** Lines already in one array of their own. */
    public static LineRanges of(byte[] lines) {
        return new LineRanges(new byte[][] {lines}, new int[] {0}, new int[] {lines.length});
    }

    /** Bytes in all. */
    public int length() {
        return length;
    }

    public int ranges() {
        return arrays.length;
    }

    public byte[] array(int range) {
        return arrays[range];
    }

    public int from(int range) {
        return from[range];
    }

    public int to(int range) {
        return to[range];
    }

    /** The lines in one array: copied when first asked for, then kept (an array of their own is not copied). */
    public byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            b = arrays.length == 1 && from[0] == 0 && to[0] == arrays[0].length ? arrays[0] : copy();
            bytes = b;
        }
        return b;
    }

    private byte[] copy() {
        byte[] b = new byte[length];
        int at = 0;
        for (int i = 0; i < arrays.length; i++) {
            System.arraycopy(arrays[i], from[i], b, at, to[i] - from[i]);
            at += to[i] - from[i];
        }
        return b;
    }

    @Override
    public String toString() { // lines stay out of logs
        return "LineRanges[" + length + " bytes]";
    }
}
