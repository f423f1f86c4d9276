package io.influxrelay.health;

import io.influxrelay.buffer.BackendBuffer;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.log.LogText;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * What the relay knows of one backend: reachable or not (from its /ping and from writes), and whether
 * its retry buffer still owes it writes. Only an "up" backend holds everything the relay acknowledged,
 * so only then is it safe to read from. Logs one line when it goes down and one when it comes back.
 */
@ManagedResource(description = "State of one InfluxDB backend")
public final class BackendHealth {
    /** Safe to read from only when UP; MISSING_DATA: answers and owes nothing, but lost writes for good (the ledger). */
    public enum State {
        UP, DOWN, DRAINING, MISSING_DATA;

        /** As operators read it: up, down, draining, missing-data. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BackendHealth.class);

    private final BackendConfig backend;
    private final BackendBuffer buffer;
    private final MissingDataView missingData;
    private boolean reachable = true;
    /** How often the backend came back after being down: what a replay waiting out its back-off watches. */
    private long returns;
    private long downSinceNanos;
    private long bufferedWritesAtDown;
    private long bufferedBytesAtDown;
    private String lastError;
    private Instant lastErrorTime;
    private Instant lastSuccessTime;

    public BackendHealth(BackendConfig backend, BackendBuffer buffer) {
        this(backend, buffer, MissingDataView.NONE);
    }

    public BackendHealth(BackendConfig backend, BackendBuffer buffer, MissingDataView missingData) {
        this.backend = backend;
        this.buffer = buffer;
        this.missingData = missingData;
    }

    public String name() {
        return backend.name();
    }

    public BackendConfig config() {
        return backend;
    }

    public String url() {
        return backend.url().toString();
    }

    public BackendBuffer buffer() {
        return buffer;
    }

    public synchronized State state() {
        if (!reachable) {
            return State.DOWN;
        }
        if (buffer != null && !buffer.idle()) {
            return State.DRAINING;
        }
        return missingData.missing(backend.name()) ? State.MISSING_DATA : State.UP;
    }

    /** The ranges of points it misses for good, as a JSON array. */
    public String missingDataJson() {
        return missingData.json(backend.name());
    }

    public String missingDataDescription() {
        return missingData.describe(backend.name());
    }

    /** The backend answered (/ping or a write). */
    public synchronized void answered() {
        lastSuccessTime = Instant.now();
        if (!reachable) {
            reachable = true;
            returns++;
            notifyAll();
            double seconds = (System.nanoTime() - downSinceNanos) / 1e9;
            if (buffer == null) {
                LOG.warn("backend {} is back after {} s down; it has no retry buffer: what it missed is lost for it",
                        name(), String.format("%.1f", seconds));
            } else {
                LOG.warn("backend {} is back after {} s down; {} writes ({} bytes) were buffered for it meanwhile, {} still to replay",
                        name(), String.format("%.1f", seconds), buffer.getAcceptedWrites() - bufferedWritesAtDown,
                        buffer.getAcceptedBytes() - bufferedBytesAtDown, buffer.getBufferedWrites());
            }
        }
    }

    /**
     * Waits up to this long, and no longer than until the backend comes back from being down (then
     * true): a replay waiting out its back-off starts at the next /ping that answers, not when the
     * back-off ends.
     */
    public synchronized boolean awaitReturn(long millis) throws InterruptedException {
        long seen = returns;
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; returns == seen && left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
            wait(left);
        }
        return returns != seen;
    }

    /** The backend could not be reached at all (refused, reset, timed out). */
    public synchronized void unreachable(String error) {
        failed(error);
        if (reachable) {
            reachable = false;
            downSinceNanos = System.nanoTime();
            if (buffer != null) {
                bufferedWritesAtDown = buffer.getAcceptedWrites();
                bufferedBytesAtDown = buffer.getAcceptedBytes();
            }
            LOG.warn("backend {} ({}) is down: {}", name(), url(), LogText.escape(error));
        }
    }

    /** The backend answered a write with an error: it is up, the error is kept for /status. */
    public synchronized void failed(String error) {
        lastError = error;
        lastErrorTime = Instant.now();
    }

    public synchronized String lastError() {
        return lastError;
    }

    public synchronized Instant lastErrorTime() {
        return lastErrorTime;
    }

    public synchronized Instant lastSuccessTime() {
        return lastSuccessTime;
    }

    @ManagedAttribute(description = "up, down, draining (its retry buffer still replaying) or missing-data (lost writes for good, awaiting repair)")
    public String getState() {
        return state().label();
    }

    @ManagedAttribute(description = "Base URL")
    public String getUrl() {
        return url();
    }

    @ManagedAttribute(description = "The last error seen")
    public String getLastError() {
        return lastError();
    }

    @ManagedAttribute(description = "When the backend last answered")
    public String getLastSuccessTime() {
        Instant t = lastSuccessTime();
        return t == null ? null : t.toString();
    }
}
