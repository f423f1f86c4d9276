package io.influxrelay.buffer;

import org.apache.camel.Exchange;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/** A retry buffer in memory: the seed's design, for short outages (lost with the process). */
final class ByteBoundedQueue extends BufferQueue {
    private final long capacityBytes;
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private long bytes;
    private int pending;

    ByteBoundedQueue(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    @Override
    public boolean offer(Exchange exchange) {
        long size = write(exchange).footprint();
        lock.lock();
        try {
            if (bytes + size > capacityBytes) {
                return false;
            }
            bytes += size;
            pending++;
            queue.addLast(exchange);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Exchange poll() {
        return locked(() -> queue.pollFirst());
    }

    @Override
    public Exchange poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    BufferedWrite pollMergeable(BufferedWrite head, long roomBytes) {
        lock.lock();
        try {
            Exchange next = queue.peekFirst();
            if (next == null) {
                return null;
            }
            BufferedWrite w = write(next);
            if (!head.mergesWith(w) || w.payload().length > roomBytes) {
                return null;
            }
            queue.pollFirst();
            return w;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void release(List<BufferedWrite> writes) {
        lock.lock();
        try {
            for (BufferedWrite w : writes) {
                bytes -= w.footprint();
                pending--;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    int pending() {
        return locked(() -> pending);
    }

    @Override
    long bytes() {
        return locked(() -> bytes);
    }

    @Override
    long oldestEnqueuedNanos() {
        lock.lock();
        try {
            Exchange first = queue.peekFirst();
            return first == null ? -1 : write(first).enqueuedNanos();
        } finally {
            lock.unlock();
        }
    }

    @Override
    long capacityBytes() {
        return capacityBytes;
    }

    @Override
    public Exchange peek() {
        return locked(() -> queue.peekFirst());
    }

    @Override
    public int size() {
        return locked(() -> queue.size());
    }

    @Override
    public Iterator<Exchange> iterator() {
        return locked(() -> List.copyOf(queue).iterator());
    }

    @Override
    public boolean remove(Object o) {
        lock.lock();
        try {
            if (!queue.removeFirstOccurrence(o)) {
                return false;
            }
            bytes -= write((Exchange) o).footprint();
            pending--;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
