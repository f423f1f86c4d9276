package io.influxrelay.buffer;

import io.influxrelay.config.DiskBufferConfig;
import io.influxrelay.config.DiskBufferConfig.Fsync;
import io.influxrelay.metrics.ThrottledLog;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;

/**
 * A retry buffer on disk ({@link DiskLog}, a RocksDB database of the backend's own): a write is in the
 * database's write-ahead log before offer returns, so it outlives a crash of the relay, and forced to the
 * device as relay.buffer.fsync says. Replay hands the writes out in order and deletes them only once
 * released, so a batch in flight at a crash is sent again after the restart (at least once; the same
 * points at the same timestamps, which InfluxDB stores once). Writes older than max-age are dropped and
 * reported; when the directory cannot be opened or written, writes are refused (the buffer counts, logs
 * and records them) and {@link #problem()} says why until a reopen, tried every few seconds, succeeds.
 */
final class DiskQueue extends BufferQueue {
    private static final Logger LOG = LoggerFactory.getLogger(DiskQueue.class);
    private static final ThrottledLog WRITE_FAILED = new ThrottledLog(LOG, 10, TimeUnit.SECONDS);
    private static final int EXPIRE_STEP = 64;

    private final String backend;
    private final DiskBufferConfig config;
    private final DiskLog log;
    private final Condition notEmpty = lock.newCondition();
    /** Taken by the replay and not yet released, oldest first. */
    private final ArrayDeque<DiskEntry> taken = new ArrayDeque<>();
    /** Held by the fsync timer and close: a sync never runs on a closed database, and never blocks offers. */
    private final Object syncLock = new Object();
    private ScheduledExecutorService upkeep;
    private Consumer<BufferedWrite> expired = w -> { };
    private CamelContext context;
    private long nextSeq;
    private long readSeq;
    private int pending;
    private int unread;
    private long bytes;
    private DiskEntry next; // the unread entry at readSeq, once read ahead
    private String problem;
    private boolean closed;

    DiskQueue(String backend, java.nio.file.Path dir, DiskBufferConfig config) {
        this.backend = backend;
        this.config = config;
        this.log = new DiskLog(backend, dir, config);
        lock.lock();
        try {
            open();
        } finally {
            lock.unlock();
        }
    }

    /** Replay exchanges are made in this context; the timers (fsync, max-age, reopen) start now. */
    void connect(CamelContext context, Consumer<BufferedWrite> expired) {
        this.context = context;
        this.expired = expired;
        upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "disk-buffer-" + backend);
            t.setDaemon(true);
            return t;
        });
        if (config.fsync() == Fsync.INTERVAL) {
            long ms = Math.max(1, config.fsyncInterval().toMillis());
            upkeep.scheduleWithFixedDelay(this::sync, ms, ms, TimeUnit.MILLISECONDS);
        }
        long checkMs = Math.max(100, Math.min(5_000, config.maxAge().toMillis() / 10));
        upkeep.scheduleWithFixedDelay(this::upkeep, 0, checkMs, TimeUnit.MILLISECONDS);
    }

    /** Opens the database and counts what it holds; on failure the problem says why. Under the lock. */
    private void open() {
        try {
            DiskLog.Contents held = log.open();
            nextSeq = held.lastSeq() + 1;
            readSeq = held.firstSeq();
            pending = held.entries();
            unread = held.entries();
            bytes = held.bytes();
            next = null;
            taken.clear();
            if (problem != null) {
                LOG.warn("retry buffer of backend {} on disk: {} opened again, writes are queued again", backend, log.dir());
            }
            problem = null;
            if (held.entries() > 0) {
                LOG.warn("retry buffer of backend {} on disk: {} writes ({} bytes) kept from before the restart, replayed first",
                        backend, held.entries(), held.bytes());
                notEmpty.signalAll();
            }
            if (!held.closedCleanly() && held.entries() > 0) {
                LOG.warn("retry buffer of backend {} on disk: the relay did not stop cleanly (a crash or a kill); every whole "
                        + "record was recovered; a write being queued at that instant, if any, was incomplete and is skipped "
                        + "(its client had not been answered)", backend);
            }
        } catch (IOException | RocksDBException e) {
            String why = "cannot open " + log.dir() + ": " + DiskLog.describe(e);
            if (!why.equals(problem)) {
                LOG.error("retry buffer of backend {} on disk: {}; writes for it are dropped (and recorded as missing) "
                        + "until it opens", backend, why);
            }
            problem = why;
            pending = 0;
            unread = 0;
            bytes = 0;
        }
    }

    @Override
    public boolean offer(Exchange exchange) {
        byte[] value = DiskEntry.encode(write(exchange), System.currentTimeMillis());
        lock.lock();
        try {
            if (closed || !log.isOpen() || bytes + value.length > config.capacityBytes()) {
                return false;
            }
            log.append(nextSeq, value);
            nextSeq++;
            pending++;
            unread++;
            bytes += value.length;
            notEmpty.signal();
            return true;
        } catch (RocksDBException e) {
            problem = "cannot write " + log.dir() + ": " + DiskLog.describe(e);
            WRITE_FAILED.warn("retry buffer of backend {} on disk: {}", backend, problem);
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Exchange poll() {
        return locked(() -> exchange(takeNext()));
    }

    @Override
    public Exchange poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (unread == 0 || closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return exchange(takeNext());
        } finally {
            lock.unlock();
        }
    }

    @Override
    BufferedWrite pollMergeable(BufferedWrite head, long roomBytes) {
        lock.lock();
        try {
            DiskEntry e = readAhead();
            if (e == null || !head.mergesWith(e.write()) || e.write().payload().length > roomBytes) {
                return null;
            }
            return takeNext().write();
        } finally {
            lock.unlock();
        }
    }

    /** Hands out the next unread entry, remembered until released. Under the lock. */
    private DiskEntry takeNext() {
        DiskEntry e = readAhead();
        if (e == null) {
            return null;
        }
        taken.addLast(e);
        readSeq = e.seq() + 1;
        unread--;
        next = null;
        return e;
    }

    /** The next unread entry, read once and kept until taken; unreadable records are skipped. Under the lock. */
    private DiskEntry readAhead() {
        while (next == null && unread > 0 && !closed && log.isOpen()) {
            try {
                DiskLog.Record r = log.first(readSeq);
                if (r == null) { // counted more than it holds: nothing more to read
                    LOG.warn("retry buffer of backend {} on disk: {} writes counted but none found after #{}", backend, unread, readSeq);
                    pending -= unread;
                    unread = 0;
                    return null;
                }
                try {
                    next = DiskEntry.decode(r.seq(), r.value());
                } catch (IOException bad) {
                    LOG.error("retry buffer of backend {} on disk: record #{} ({} bytes) is unreadable ({}): skipped",
                            backend, r.seq(), r.value().length, bad.getMessage());
                    log.delete(List.of(r.seq()));
                    readSeq = r.seq() + 1;
                    unread--;
                    pending--;
                    bytes -= r.value().length;
                }
            } catch (RocksDBException e) {
                problem = "cannot read " + log.dir() + ": " + DiskLog.describe(e);
                WRITE_FAILED.warn("retry buffer of backend {} on disk: {}", backend, problem);
                return null;
            }
        }
        return next;
    }

    private Exchange exchange(DiskEntry e) {
        if (e == null) {
            return null;
        }
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setBody(e.write());
        return exchange;
    }

    @Override
    void release(List<BufferedWrite> writes) {
        lock.lock();
        try {
            List<Long> done = new ArrayList<>(writes.size());
            for (int i = 0; i < writes.size() && !taken.isEmpty(); i++) {
                DiskEntry e = taken.pollFirst();
                done.add(e.seq());
                pending--;
                bytes -= e.size();
            }
            if (!closed && log.isOpen()) {
                log.delete(done);
            }
        } catch (RocksDBException e) {
            WRITE_FAILED.warn("retry buffer of backend {} on disk: could not delete replayed writes ({}): "
                    + "they are replayed again after a restart", backend, DiskLog.describe(e));
        } finally {
            lock.unlock();
        }
    }

    /** Drops the unread writes older than max-age, a few at a time, and reports each. */
    private void expire() {
        long cutoff = System.currentTimeMillis() - config.maxAge().toMillis();
        List<DiskEntry> dropped;
        do {
            dropped = new ArrayList<>();
            lock.lock();
            try {
                DiskEntry e;
                while (dropped.size() < EXPIRE_STEP && (e = readAhead()) != null && e.queuedMillis() < cutoff) {
                    dropped.add(e);
                    readSeq = e.seq() + 1;
                    unread--;
                    pending--;
                    bytes -= e.size();
                    next = null;
                }
                if (!dropped.isEmpty()) { // behind the batch in flight, if any: deleted out of the release order
                    log.delete(dropped.stream().map(DiskEntry::seq).toList());
                }
            } catch (RocksDBException e) {
                WRITE_FAILED.warn("retry buffer of backend {} on disk: could not delete expired writes ({})", backend, DiskLog.describe(e));
            } finally {
                lock.unlock();
            }
            dropped.forEach(e -> expired.accept(e.write()));
        } while (dropped.size() == EXPIRE_STEP);
    }

    /** Every few seconds: reopen a database that failed (after a write error RocksDB takes no more), expire old writes. */
    private void upkeep() {
        try {
            synchronized (syncLock) { // the order close() takes them in: syncLock, then the lock
                lock.lock();
                try {
                    if (closed) {
                        return;
                    }
                    // a batch out for replay is read again after the reopen: sent twice at worst, never lost
                    if (problem != null) {
                        log.close();
                        open();
                    }
                } finally {
                    lock.unlock();
                }
            }
            expire();
        } catch (RuntimeException e) {
            LOG.warn("retry buffer of backend {} on disk: upkeep failed", backend, e);
        }
    }

    /** fsync=interval: forces what was written since the last time. */
    private void sync() {
        synchronized (syncLock) {
            if (closed || !log.isOpen()) {
                return;
            }
            try {
                log.sync();
            } catch (RocksDBException e) {
                WRITE_FAILED.warn("retry buffer of backend {} on disk: fsync failed ({})", backend, DiskLog.describe(e));
            }
        }
    }

    @Override
    boolean durable() {
        return true;
    }

    @Override
    String problem() {
        return locked(() -> problem);
    }

    @Override
    void close() {
        if (upkeep != null) {
            upkeep.shutdownNow();
        }
        synchronized (syncLock) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                notEmpty.signalAll();
                if (log.isOpen()) {
                    try {
                        log.sync();
                    } catch (RocksDBException e) {
                        LOG.warn("retry buffer of backend {} on disk: last fsync failed ({})", backend, DiskLog.describe(e));
                    }
                }
                log.close();
                if (pending > 0) {
                    LOG.warn("relay stopping: {} writes ({} bytes) kept in the retry buffer of backend {} on disk ({}), "
                            + "replayed after the restart", pending, bytes, backend, log.dir());
                }
            } finally {
                lock.unlock();
            }
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
    long capacityBytes() {
        return config.capacityBytes();
    }

    @Override
    long oldestEnqueuedNanos() {
        lock.lock();
        try {
            DiskEntry oldest = taken.isEmpty() ? readAhead() : taken.peekFirst();
            return oldest == null ? -1 : oldest.write().enqueuedNanos();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Exchange peek() {
        lock.lock();
        try {
            DiskEntry e = readAhead();
            return e == null ? null : exchange(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        return locked(() -> unread);
    }

    @Override
    public Iterator<Exchange> iterator() { // not browsable: the writes are on disk, read one by one by the replay
        return Collections.emptyIterator();
    }
}
