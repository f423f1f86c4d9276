package io.influxrelay.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The /query meters: requests by kind and answered status, their duration, reads served per backend. */
public final class QueryMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer duration;

    public QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("relay.query.duration")
                .description("Time from a query's arrival to its answer's head").register(registry);
    }

    /** kind: read or schema (anything that changes state, alone or mixed with reads). */
    public void answered(String kind, int status, long nanos) {
        counter("relay.query.requests", "Client /query requests, by kind and answered status",
                "kind", kind, "status", Integer.toString(status)).increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void readServed(String backend) {
        counter("relay.query.reads", "Reads a backend answered", "backend", backend, null, null).increment();
    }

    void statementsMissed(String backend) {
        counter("relay.query.statements.missed", "Statements that changed state on other backends but not on this one",
                "backend", backend, null, null).increment();
    }

    private Counter counter(String name, String description, String k1, String v1, String k2, String v2) {
        return counters.computeIfAbsent(name + "/" + v1 + "/" + v2, k -> {
            Counter.Builder b = Counter.builder(name).description(description).tag(k1, v1);
            if (k2 != null) {
                b.tag(k2, v2);
            }
            return b.register(registry);
        });
    }
}
