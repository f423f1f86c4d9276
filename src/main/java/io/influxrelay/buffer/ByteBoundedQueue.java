package io.influxrelay.buffer;

import org.apache.camel.Exchange;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The seda queue of one backend's buffer, bounded in bytes rather than in messages. Bytes stay counted
 * from {@link #offer} until the write is {@link #release released} after its replay, so the bound covers
 * the batch in flight too, and {@link #pending()} says whether anything is still owed to the backend.
 */
final class ByteBoundedQueue extends AbstractQueue<Exchange> implements BlockingQueue<Exchange> {
    private final long capacityBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private long bytes;
    private int pending;

    ByteBoundedQueue(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    static BufferedWrite write(Exchange exchange) {
        return exchange.getIn().getBody(BufferedWrite.class);
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
        lock.lock();
        try {
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
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

    /** Takes the next queued write if it can join the batch being built: same target, still under the size. */
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

    /** A write left the buffer (replayed, dead-lettered): its bytes are free again. */
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

    /** Writes accepted and not yet released: queued or in the batch being replayed. */
    int pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** When the oldest queued write entered, or -1 when none is queued. */
    long oldestEnqueuedNanos() {
        lock.lock();
        try {
            Exchange first = queue.peekFirst();
            return first == null ? -1 : write(first).enqueuedNanos();
        } finally {
            lock.unlock();
        }
    }

    long capacityBytes() {
        return capacityBytes;
    }

    @Override
    public Exchange peek() {
        lock.lock();
        try {
            return queue.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Iterator<Exchange> iterator() {
        lock.lock();
        try {
            return List.copyOf(queue).iterator();
        } finally {
            lock.unlock();
        }
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

    @Override
    public void put(Exchange exchange) {
        if (!offer(exchange)) {
            throw new IllegalStateException("Queue full");
        }
    }

    @Override
    public boolean offer(Exchange exchange, long timeout, TimeUnit unit) {
        return offer(exchange); // a full buffer drops at once: a client never waits on it
    }

    @Override
    public Exchange take() throws InterruptedException {
        Exchange e;
        do {
            e = poll(1, TimeUnit.SECONDS);
        } while (e == null);
        return e;
    }

    @Override
    public int remainingCapacity() {
        return Integer.MAX_VALUE; // bounded in bytes, not in count
    }

    @Override
    public int drainTo(Collection<? super Exchange> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Exchange> c, int maxElements) {
        lock.lock();
        try {
            int n = 0;
            while (n < maxElements && !queue.isEmpty()) {
                c.add(queue.pollFirst());
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
