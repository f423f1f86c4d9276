package io.influxrelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The relay's own meters, named the Micrometer way (dots) and exported by the Prometheus registry with
 * base units (relay_write_requests_total, relay_backend_duration_seconds, ...). They live outside the
 * routes, so a YAML route reload does not reset them.
 */
public final class RelayMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter points;
    private final Counter bytes;
    /** Meters with per-request tags, found again without building their id on every write. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Timer writeDuration;

    public RelayMetrics() {
        points = Counter.builder("relay.write.points").description("Points received in client writes (valid lines)")
                .register(registry);
        bytes = Counter.builder("relay.write.received").baseUnit("bytes")
                .description("Line protocol received in client writes, after un-gzipping").register(registry);
        writeDuration = Timer.builder("relay.write.duration").description("Time from a write's arrival to its answer")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void writeReceived(int validLines, int bodyBytes) {
        points.increment(validLines);
        bytes.increment(bodyBytes);
    }

    public void writeAnswered(int status, long nanos) {
        counters.computeIfAbsent("write/" + status, k -> Counter.builder("relay.write.requests")
                .description("Client write requests, by answered status")
                .tag("status", Integer.toString(status)).register(registry)).increment();
        writeDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A client write refused with 503 by relay.http.max-concurrent-writes. */
    public void writeThrottled() {
        counters.computeIfAbsent("throttled", k -> Counter.builder("relay.write.throttled")
                .description("Client writes refused (503, Retry-After) over relay.http.max-concurrent-writes")
                .register(registry)).increment();
    }

    public void backendReply(String backend, int status, long nanos) {
        counters.computeIfAbsent("backend/" + backend + "/" + status, k -> Counter.builder("relay.backend.requests")
                .description("Write requests sent to a backend, by reply status (0: no reply)")
                .tag("backend", backend).tag("status", Integer.toString(status)).register(registry)).increment();
        timers.computeIfAbsent(backend, k -> Timer.builder("relay.backend.duration")
                .description("Time a backend took to answer a write").tag("backend", backend)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A write a backend did not take: cause is refused, timeout, reset, overloaded, 5xx or other. */
    public void backendFailure(String backend, String cause) {
        counters.computeIfAbsent("failure/" + backend + "/" + cause, k -> Counter.builder("relay.backend.failures")
                .description("Writes a backend did not take, by cause")
                .tag("backend", backend).tag("cause", cause).register(registry)).increment();
    }

    /** A backend's reply differed in kind from the answer the client got (e.g. 204 vs 404). */
    public void disagreement(String backend) {
        counters.computeIfAbsent("disagreement/" + backend, k -> Counter.builder("relay.backend.disagreements")
                .description("Backend replies that differed in kind from the client's answer")
                .tag("backend", backend).register(registry)).increment();
    }
}
