package io.influxrelay.lineprotocol;

import java.util.Arrays;

/** A growable byte array: the one output buffer of a scan that had to rewrite something. */
public final class ByteSink {
    private byte[] bytes;
    private int size;

    public ByteSink(int capacity) {
        bytes = new byte[Math.max(capacity, 64)];
    }

    public void append(byte[] source, int from, int length) {
        ensure(length);
        System.arraycopy(source, from, bytes, size, length);
        size += length;
    }

    void append(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            long wanted = Math.max((long) bytes.length + (bytes.length >> 1), (long) size + more);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
    }

    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }
}
