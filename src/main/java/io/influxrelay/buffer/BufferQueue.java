package io.influxrelay.buffer;

import org.apache.camel.Exchange;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The seda queue of one backend's retry buffer, bounded in bytes rather than in messages: in memory
 * ({@link ByteBoundedQueue}) or on disk ({@link DiskQueue}). Bytes stay counted from {@link #offer} until
 * the write is {@link #release released} after its replay, so the bound covers the batch in flight too, and
 * {@link #pending()} says whether anything is still owed to the backend. Writes leave in the order they came.
 */
abstract class BufferQueue extends AbstractQueue<Exchange> implements BlockingQueue<Exchange> {
    /** Guards the queue's state: offers, the replay's takes and releases, the meters' reads. */
    protected final ReentrantLock lock = new ReentrantLock();

    /** A read of the state under the lock. */
    final <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    static BufferedWrite write(Exchange exchange) {
        return exchange.getIn().getBody(BufferedWrite.class);
    }

    /** Takes the next queued write if it can join the batch being built: same target, still under the size. */
    abstract BufferedWrite pollMergeable(BufferedWrite head, long roomBytes);

    /** Writes left the buffer (replayed, dead-lettered), in the order they were taken: their bytes are free again. */
    abstract void release(List<BufferedWrite> writes);

    /** Writes accepted and not yet released: queued or in the batch being replayed. */
    abstract int pending();

    abstract long bytes();

    abstract long capacityBytes();

    /** When the oldest write still held entered (System.nanoTime), or -1 when none is. */
    abstract long oldestEnqueuedNanos();

    /** True when what it holds outlives the process: a stopping relay keeps it as it is. */
    boolean durable() {
        return false;
    }

    /** Why it takes no writes now (the disk cannot be written, say), or null. */
    String problem() {
        return null;
    }

    /** The relay stops: what must outlive it is made safe. */
    void close() {
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
        int n = 0;
        Exchange e;
        while (n < maxElements && (e = poll()) != null) {
            c.add(e);
            n++;
        }
        return n;
    }
}
