package io.influxrelay.sharding;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link ChunkedMerge} as the body the listener streams to the client (on a thread of its own, at the pace of the
 * client's socket): each read takes the next merged chunk when the last is used up. Closing it, as the listener does
 * when the client goes away, drops every shard's connection.
 */
final class MergedChunks extends InputStream {
    private final ChunkedMerge merge;
    private byte[] chunk = new byte[0];
    private int at;

    MergedChunks(ChunkedMerge merge) {
        this.merge = merge;
    }

    @Override
    public int read() throws IOException {
        return filled() ? chunk[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!filled()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - at);
        System.arraycopy(chunk, at, b, off, n);
        at += n;
        return n;
    }

    @Override
    public int available() {
        return chunk == null ? 0 : chunk.length - at;
    }

    /** Whether a byte is ready, taking the next chunk when needed; false at the end. */
    private boolean filled() throws IOException {
        while (chunk != null && at == chunk.length) {
            chunk = merge.next();
            at = 0;
        }
        return chunk != null;
    }

    @Override
    public void close() {
        merge.close();
    }
}
