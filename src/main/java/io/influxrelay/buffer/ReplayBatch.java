package io.influxrelay.buffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Queued writes to one target merged into one request, in queue order. */
final class ReplayBatch {
    private final List<BufferedWrite> writes = new ArrayList<>();
    private long bytes;
    private int attempts;

    ReplayBatch(BufferedWrite head) {
        add(head);
    }

    ReplayBatch(List<BufferedWrite> writes) {
        writes.forEach(this::add);
    }

    void add(BufferedWrite write) {
        writes.add(write);
        bytes += write.payload().length + 1;
    }

    List<BufferedWrite> writes() {
        return writes;
    }

    BufferedWrite head() {
        return writes.get(0);
    }

    long bytes() {
        return bytes;
    }

    /** Attempts the backend answered (it is up) and refused; transport failures are not counted. */
    int countAttempt() {
        return ++attempts;
    }

    /** The request body: the writes' lines one after another, each ending in a newline. */
    byte[] body() {
        if (writes.size() == 1) {
            return writes.get(0).payload();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes);
        for (BufferedWrite w : writes) {
            byte[] p = w.payload();
            out.write(p, 0, p.length);
            if (p.length > 0 && p[p.length - 1] != '\n') {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** One batch per write: how a refused batch is taken apart to find the write that is to blame. */
    List<ReplayBatch> split() {
        List<ReplayBatch> parts = new ArrayList<>();
        for (BufferedWrite w : writes) {
            parts.add(new ReplayBatch(w));
        }
        return parts;
    }
}
