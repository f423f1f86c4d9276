package io.influxrelay.buffer;

import io.influxrelay.metrics.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One backend's retry buffer: writes the backend missed while the client was told success, replayed in
 * order by one consumer. While anything is owed to the backend, new writes queue behind it instead of
 * overtaking. Visible as Micrometer meters and as a Camel-managed MBean.
 */
@ManagedResource(description = "Retry buffer of one InfluxDB backend")
public final class BackendBuffer {
    private static final ThrottledLog FULL = new ThrottledLog(LoggerFactory.getLogger(BackendBuffer.class), 10, TimeUnit.SECONDS);

    private final String backend;
    private final BufferQueue queue;
    private final long maxBatchBytes;
    private final Counter droppedWrites;
    private final Counter droppedBytes;
    private final Counter batches;
    private final Counter retries;
    private final Counter deadLetters;
    private final Counter acceptedWrites;
    private final Counter acceptedBytes;
    private final Counter expiredWrites;
    private final LostWrites lost;
    private final List<BufferedWrite> stranded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ProducerTemplate producer;

    BackendBuffer(String backend, BufferQueue queue, long maxBatchBytes, MeterRegistry registry, LostWrites lost) {
        this.backend = backend;
        this.queue = queue;
        this.maxBatchBytes = maxBatchBytes;
        this.lost = lost;
        Gauge.builder("relay.buffer.size", queue, BufferQueue::bytes).baseUnit("bytes")
                .description("Bytes held by the retry buffer").tag("backend", backend).register(registry);
        Gauge.builder("relay.buffer.writes", queue, BufferQueue::pending)
                .description("Writes in the retry buffer, the one being replayed included").tag("backend", backend).register(registry);
        Gauge.builder("relay.buffer.oldest.age", this, BackendBuffer::oldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest queued write").tag("backend", backend).register(registry);
        droppedWrites = counter(registry, "relay.buffer.dropped.writes", "Writes dropped because the buffer was full", null);
        droppedBytes = counter(registry, "relay.buffer.dropped", "Bytes dropped because the buffer was full", "bytes");
        batches = counter(registry, "relay.buffer.batches", "Batches replayed successfully", null);
        retries = counter(registry, "relay.buffer.retries", "Replay attempts that failed and were tried again", null);
        deadLetters = counter(registry, "relay.buffer.dead.letters", "Writes taken out of the buffer into the dead-letter directory", null);
        acceptedWrites = counter(registry, "relay.buffer.accepted.writes", "Writes taken into the buffer", null);
        acceptedBytes = counter(registry, "relay.buffer.accepted", "Bytes taken into the buffer", "bytes");
        expiredWrites = counter(registry, "relay.buffer.expired.writes", "Writes dropped from a disk buffer for being older than its max-age", null);
    }

    private Counter counter(MeterRegistry registry, String name, String description, String unit) {
        return Counter.builder(name).description(description).baseUnit(unit).tag("backend", backend).register(registry);
    }

    void connect(ProducerTemplate producer) {
        this.producer = producer;
        if (queue instanceof DiskQueue disk) {
            disk.connect(producer.getCamelContext(), this::expired);
        }
    }

    BufferQueue queue() {
        return queue;
    }

    public String endpointUri() {
        return "seda:buffer-" + backend + "?queue=#bufferQueue-" + backend;
    }

    /** True when what it holds outlives the relay (a disk buffer). */
    public boolean durable() {
        return queue.durable();
    }

    /** True when nothing is owed to the backend: a new write may go to it directly. */
    public boolean idle() {
        return queue.pending() == 0;
    }

    /** Queues a write for replay; false (logged and counted) when the buffer is full. */
    public boolean offer(BufferedWrite write) {
        Exchange sent = producer.send(endpointUri(), e -> e.getIn().setBody(write));
        if (sent.getException() == null) {
            acceptedWrites.increment();
            acceptedBytes.increment(write.payload().length);
            return true;
        }
        droppedWrites.increment();
        droppedBytes.increment(write.payload().length);
        String problem = queue.problem();
        if (problem != null) {
            FULL.warn("retry buffer of backend {} cannot take writes ({}): dropped a write of {} bytes for it ({} dropped so far)",
                    backend, problem, write.payload().length, (long) droppedWrites.count());
            return false;
        }
        FULL.warn("retry buffer of backend {} is full ({} of {} bytes): dropped a write of {} bytes for it "
                        + "({} dropped so far)", backend, queue.bytes(), queue.capacityBytes(),
                write.payload().length, (long) droppedWrites.count());
        return false;
    }

    /** The replay batch that starts with {@code head}: following writes to the same target, up to the batch size. */
    ReplayBatch batchFrom(BufferedWrite head) {
        ReplayBatch batch = new ReplayBatch(head);
        BufferedWrite next;
        while ((next = queue.pollMergeable(head, maxBatchBytes - batch.bytes())) != null) {
            batch.add(next);
        }
        return batch;
    }

    void replayed(ReplayBatch batch) {
        batches.increment();
        queue.release(batch.writes());
    }

    void deadLettered(BufferedWrite write) {
        deadLetters.increment();
        queue.release(List.of(write));
    }

    /** The relay is stopping with this batch unsent: it is saved with the rest of the buffer (on disk it stays there). */
    void strand(ReplayBatch batch) {
        if (!queue.durable()) {
            stranded.addAll(batch.writes());
        }
    }

    /** A write waited in the disk buffer longer than its max-age: dropped for the backend, for good. */
    private void expired(BufferedWrite write) {
        expiredWrites.increment();
        FULL.warn("retry buffer of backend {}: dropped a write of {} bytes older than its max-age ({} expired so far)",
                backend, write.payload().length, (long) expiredWrites.count());
        lost.lost(backend, write, "older than max-age");
    }

    /**
     * The relay stops. A disk buffer keeps what it holds, to be replayed after the restart. A memory buffer
     * moves every write still held (the stranded batch first, in order) to dead-letter files, reported lost;
     * returns how many.
     */
    int saveTo(DeadLetters deadLetters) {
        if (queue.durable()) {
            queue.close();
            return 0;
        }
        List<BufferedWrite> held = new java.util.ArrayList<>(stranded);
        stranded.clear();
        Exchange e;
        while ((e = queue.poll()) != null) {
            held.add(BufferQueue.write(e));
        }
        for (BufferedWrite w : held) {
            deadLetters.write(backend, w, "the relay stopped before the backend took it");
            lost.lost(backend, w, "relay stopped");
        }
        queue.release(held);
        return held.size();
    }

    void retried() {
        retries.increment();
    }

    public String backend() {
        return backend;
    }

    @ManagedAttribute(description = "Bytes held, the batch in flight included")
    public long getBufferedBytes() {
        return queue.bytes();
    }

    @ManagedAttribute(description = "Writes held, the batch in flight included")
    public int getBufferedWrites() {
        return queue.pending();
    }

    @ManagedAttribute(description = "Capacity in bytes")
    public long getCapacityBytes() {
        return queue.capacityBytes();
    }

    @ManagedAttribute(description = "Seconds since the oldest queued write entered")
    public double getOldestAgeSeconds() {
        return oldestAgeSeconds();
    }

    @ManagedAttribute(description = "Batches replayed")
    public long getBatchesReplayed() {
        return (long) batches.count();
    }

    @ManagedAttribute(description = "Failed replay attempts tried again")
    public long getRetries() {
        return (long) retries.count();
    }

    @ManagedAttribute(description = "Writes dropped because the buffer was full")
    public long getDroppedWrites() {
        return (long) droppedWrites.count();
    }

    @ManagedAttribute(description = "Bytes dropped because the buffer was full")
    public long getDroppedBytes() {
        return (long) droppedBytes.count();
    }

    @ManagedAttribute(description = "Writes taken into the buffer since the start")
    public long getAcceptedWrites() {
        return (long) acceptedWrites.count();
    }

    @ManagedAttribute(description = "Bytes taken into the buffer since the start")
    public long getAcceptedBytes() {
        return (long) acceptedBytes.count();
    }

    @ManagedAttribute(description = "Writes dropped from a disk buffer for being older than its max-age")
    public long getExpiredWrites() {
        return (long) expiredWrites.count();
    }

    @ManagedAttribute(description = "Where the buffer lives: memory or disk")
    public String getStore() {
        return queue.durable() ? "disk" : "memory";
    }

    /** Why the buffer takes no writes now (its disk cannot be written), or null. */
    @ManagedAttribute(description = "Why the buffer takes no writes now, if it does not")
    public String getProblem() {
        return queue.problem();
    }

    @ManagedAttribute(description = "Writes moved to the dead-letter directory")
    public long getDeadLetters() {
        return (long) deadLetters.count();
    }

    private double oldestAgeSeconds() {
        long t = queue.oldestEnqueuedNanos();
        return t < 0 ? 0 : (System.nanoTime() - t) / 1e9;
    }
}
