package io.influxrelay.http;

import io.influxrelay.log.LogText;
import io.influxrelay.metrics.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the listener's pipeline does to clients on its own: connections refused or closed by a limit,
 * requests answered before Camel saw them. Counted, and logged at most once per 10 s per kind, never
 * with a stack trace: these are client faults, and a flood of them must not flood the log.
 */
public final class ListenerMetrics {
    private static final Logger LOG = LoggerFactory.getLogger("io.influxrelay.http.listener");

    private final MeterRegistry registry;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, ThrottledLog> logs = new ConcurrentHashMap<>();

    public ListenerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("relay.http.connections", open, AtomicInteger::get)
                .description("Client connections open").register(registry);
    }

    AtomicInteger openConnections() {
        return open;
    }

    /** A connection closed or refused by a limit: reason is max-connections, read-timeout or idle-timeout. */
    void connectionClosed(String reason, String detail) {
        count("relay.http.connections.closed", "Client connections refused or closed by a limit", reason);
        log(reason).warn("client connection {}: {}", reason, detail);
    }

    /** A request answered by the pipeline itself (malformed, too large) or lost with its connection. */
    void badRequest(String reason, String detail) {
        count("relay.http.bad.requests", "Client requests refused before routing, or broken off", reason);
        log(reason).warn("client request {}: {}", reason, LogText.escape(detail));
    }

    private void count(String name, String description, String reason) {
        counters.computeIfAbsent(name + "/" + reason, k -> Counter.builder(name).description(description)
                .tag("reason", reason).register(registry)).increment();
    }

    private ThrottledLog log(String reason) {
        return logs.computeIfAbsent(reason, k -> new ThrottledLog(LOG, 10, TimeUnit.SECONDS));
    }
}
