package io.influxrelay.udp;

import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.lineprotocol.Precision;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * The Java side of the UDP listener (routes/udp.yaml): the beans it names (udpReader,
 * udpDelivered) and the timer that sends the HTTP backends' batch at least every flush-interval.
 */
public final class UdpRoutes extends RouteBuilder {
    /** The batches on their way to the fan-out; routes/udp.yaml consumes it with the same size. */
    static final String BATCHES = "seda:udp-batches?size=16&blockWhenFull=false";

    private final RelayConfig config;
    private final RetryBuffers buffers;
    private final MeterRegistry registry;

    public UdpRoutes(RelayConfig config, RetryBuffers buffers, MeterRegistry registry) {
        this.config = config;
        this.buffers = buffers;
        this.registry = registry;
    }

    /** The fan-out recipients for UDP lines: the backends that are not UDP backends themselves. */
    public static List<BackendConfig> httpBackends(RelayConfig config) {
        return config.backends().stream().filter(b -> b.udpTarget() == null).toList();
    }

    @Override
    public void configure() {
        UdpMetrics metrics = new UdpMetrics(registry);
        List<BackendConfig> http = httpBackends(config);
        UdpBatcher batcher = http.isEmpty() ? null
                : new UdpBatcher(query(), config.udp().batchBytes(), http.size(), buffers, metrics);
        List<UdpBackend> udp = config.backends().stream().filter(b -> b.udpTarget() != null)
                .map(b -> new UdpBackend(b.name(), b.udpTarget(), b.udpMtu())).toList();
        Precision precision = Precision.parse(config.udp().precision()).orElse(Precision.NANOSECONDS);
        getContext().getRegistry().bind("udpReader", new UdpReader(precision, batcher, udp, metrics, Clock.systemUTC()));
        getContext().getRegistry().bind("udpDelivered", (org.apache.camel.Processor) e -> delivered(e, metrics));

        if (batcher != null && config.udp().enabled()) {
            batcher.connect(getContext().createProducerTemplate());
            from("timer:udp-flush?period=" + config.udp().flushInterval().toMillis()).routeId("udp-flush")
                    .process(e -> batcher.flush());
        }
    }

    private String query() {
        StringBuilder q = new StringBuilder("db=").append(enc(config.udp().db()));
        if (!config.udp().rp().isEmpty()) {
            q.append("&rp=").append(enc(config.udp().rp()));
        }
        return q.append("&precision=").append(config.udp().precision()).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** After the fan-out of a UDP batch: count the lines each backend accepted. */
    private static void delivered(Exchange exchange, UdpMetrics metrics) {
        WriteOutcome outcome = exchange.getProperty(WriteOutcome.PROPERTY, WriteOutcome.class);
        io.influxrelay.write.WriteRequest write = exchange.getProperty(io.influxrelay.write.WriteRequest.PROPERTY,
                io.influxrelay.write.WriteRequest.class);
        if (outcome == null || write == null) {
            return;
        }
        outcome.replies().stream().filter(r -> r.success())
                .forEach(r -> metrics.delivered(r.backend(), write.validLines()));
    }
}
