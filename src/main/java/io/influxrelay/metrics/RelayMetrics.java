package io.influxrelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The relay's own meters, named the Micrometer way (dots), exported with base units. */
public final class RelayMetrics {
    private final MeterRegistry registry;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A backend's reply differed in kind from the answer the client got (e.g. 204 vs 404). */
    public void disagreement(String backend) {
        Counter.builder("relay.backend.disagreements")
                .description("Backend replies that differed in kind from the client's answer")
                .tag("backend", backend)
                .register(registry)
                .increment();
    }

    public void backendReply(String backend, int status) {
        Counter.builder("relay.backend.requests")
                .description("Write requests sent to a backend, by reply status (0: no reply)")
                .tag("backend", backend)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }

    public void writeAnswered(int status) {
        Counter.builder("relay.write.requests")
                .description("Client write requests, by answered status")
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}
