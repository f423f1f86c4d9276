package io.influxrelay.udp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The UDP listener's meters: what came in, what was bad, what each backend got. */
final class UdpMetrics {
    private final MeterRegistry registry;
    private final Counter datagrams;
    private final Counter lines;
    private final Counter badLines;
    private final Counter bytes;
    private final Counter lost;

    UdpMetrics(MeterRegistry registry) {
        this.registry = registry;
        datagrams = Counter.builder("relay.udp.datagrams").description("UDP datagrams received").register(registry);
        lines = Counter.builder("relay.udp.lines").description("Valid lines received over UDP").register(registry);
        badLines = Counter.builder("relay.udp.bad.lines").description("Lines received over UDP and dropped as invalid").register(registry);
        bytes = Counter.builder("relay.udp.received").baseUnit("bytes").description("Bytes received over UDP").register(registry);
        lost = Counter.builder("relay.udp.lost.lines").description("Valid UDP lines no backend and no buffer took").register(registry);
    }

    void received(int datagramBytes, int validLines, int invalidLines) {
        datagrams.increment();
        bytes.increment(datagramBytes);
        lines.increment(validLines);
        badLines.increment(invalidLines);
    }

    void delivered(String backend, int lineCount) {
        Counter.builder("relay.udp.delivered.lines").description("UDP lines a backend accepted (HTTP) or was sent (UDP)")
                .tag("backend", backend).register(registry).increment(lineCount);
    }

    void lost(int lineCount) {
        lost.increment(lineCount);
    }
}
