package io.influxrelay.write;

import io.influxrelay.http.InfluxResponses;
import io.influxrelay.metrics.RelayMetrics;
import io.micrometer.core.instrument.Gauge;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * relay.http.max-concurrent-writes: client writes in flight (taken, not yet answered) beyond the limit
 * get 503 with Retry-After at once, as InfluxDB's own write throttle answers, instead of queueing
 * without bound in front of backends that cannot keep up. A refused write was never taken: nothing of
 * it reaches a backend, and the client's retry is the whole write.
 */
public final class WriteThrottle implements Processor {
    private final int limit;
    private final RelayMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final SynchronizationAdapter release = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange exchange) {
            inFlight.decrementAndGet();
        }
    };

    /** {@code limit}: 0 for none. */
    public WriteThrottle(int limit, RelayMetrics metrics) {
        this.limit = limit;
        this.metrics = metrics;
        Gauge.builder("relay.write.in.flight", inFlight, AtomicInteger::get)
                .description("Client writes taken and not yet answered").register(metrics.registry());
    }

    @Override
    public void process(Exchange exchange) {
        if (inFlight.incrementAndGet() > limit && limit > 0) {
            inFlight.decrementAndGet();
            metrics.writeThrottled();
            InfluxResponses.throttled(exchange, "request throttled, exceeds concurrent write limit of " + limit);
            exchange.setRouteStop(true);
            return;
        }
        // released when the exchange completes, however it ends (answered, refused, failed)
        exchange.getExchangeExtension().addOnCompletion(release);
    }
}
