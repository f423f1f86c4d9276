package io.influxrelay.buffer;

import io.influxrelay.config.BackendConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retry buffers of the backends that have one (buffer-size-mb above 0), by backend name. When the
 * relay stops, whatever they still hold is saved to the dead-letter directory rather than lost with
 * the process.
 */
public final class RetryBuffers extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RetryBuffers.class);

    private final Map<String, BackendBuffer> byName = new LinkedHashMap<>();
    private final List<BackendConfig> backends;
    private final LostWrites lost;
    private DeadLetters deadLetters;

    public RetryBuffers(List<BackendConfig> configured, MeterRegistry registry) {
        this(configured, registry, LostWrites.NONE);
    }

    /** {@code lost} hears of every write a backend misses for good: no buffer, a full one, a dead letter, a stop. */
    public RetryBuffers(List<BackendConfig> configured, MeterRegistry registry, LostWrites lost) {
        this(configured, registry, lost, java.nio.file.Path.of(""));
    }

    /** {@code home}: where the relative directories of disk buffers are. */
    public RetryBuffers(List<BackendConfig> configured, MeterRegistry registry, LostWrites lost, java.nio.file.Path home) {
        this.lost = lost;
        this.backends = configured.stream().filter(b -> b.bufferBytes() > 0).toList();
        for (BackendConfig b : backends) {
            BufferQueue queue = b.disk() == null ? new ByteBoundedQueue(b.bufferBytes())
                    : new DiskQueue(b.name(), home.resolve(b.disk().dir()).toAbsolutePath().normalize(), b.disk());
            byName.put(b.name(), new BackendBuffer(b.name(), queue, b.maxBatchBytes(), registry, lost));
        }
    }

    /** The backends that have a buffer. */
    public List<BackendConfig> backends() {
        return backends;
    }

    /** The backend's buffer, or null when it has none. */
    public BackendBuffer of(String backend) {
        return byName.get(backend);
    }

    public Iterable<BackendBuffer> all() {
        return byName.values();
    }

    void connect(ProducerTemplate producer, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        byName.values().forEach(b -> b.connect(producer));
    }

    @Override
    protected void doStop() {
        if (deadLetters == null) {
            return;
        }
        for (BackendBuffer buffer : byName.values()) {
            int saved = buffer.saveTo(deadLetters);
            if (saved > 0) {
                LOG.warn("relay stopping: {} writes still buffered for backend {} saved to {}", saved,
                        buffer.backend(), deadLetters.dir().resolve(buffer.backend()));
            }
        }
    }

    /**
     * Queues the write for the backend; false when it has no buffer or the buffer is full: then the
     * backend misses it for good, and the ledger hears of it.
     */
    public boolean offer(String backend, BufferedWrite write) {
        BackendBuffer buffer = byName.get(backend);
        if (buffer == null) {
            lost.lost(backend, write, "no retry buffer");
            return false;
        }
        if (!buffer.offer(write)) {
            lost.lost(backend, write, "buffer full");
            return false;
        }
        return true;
    }

    /** True when the backend's buffer is on disk and still owes it writes: a new write for it is queued, not sent. */
    public boolean owesOnDisk(String backend) {
        BackendBuffer buffer = byName.get(backend);
        return buffer != null && buffer.durable() && !buffer.idle();
    }

    /** Where writes lost for good are reported. */
    LostWrites lost() {
        return lost;
    }
}
