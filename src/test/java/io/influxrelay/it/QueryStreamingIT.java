package io.influxrelay.it;

import io.influxrelay.testing.RawBackend;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result is never held whole: 500 MB of JSON passes through the relay while its resident memory
 * grows by less than 64 MB, and a client that reads slowly slows the backend instead of filling the
 * relay. The backend is a stand-in streaming a generated body: 500 MB of real points would make this
 * a test of influxd's disk, and the relay's memory is the point here.
 */
class QueryStreamingIT {
    private static final long RESULT = 500L << 20;

    @Test
    void a500MegabyteResultStreamsThroughInBoundedMemory() throws Exception {
        try (RawBackend backend = RawBackend.start(RawBackend.okWithBody(RESULT));
             RelayProcess relay = relay(backend)) {
            long before = relay.residentBytes();
            AtomicLong peak = new AtomicLong(before);
            long read = read(relay, peak, 0);
            System.out.printf("query stream: %d MB read, resident before %d MB, peak %d MB%n",
                    read >> 20, before >> 20, peak.get() >> 20);
            assertThat(read).isEqualTo(RESULT);
            assertThat(peak.get() - before).isLessThan(64L << 20);
        }
    }

    @Test
    void aSlowClientSlowsTheBackendInsteadOfFillingTheRelay() throws Exception {
        try (RawBackend backend = RawBackend.start(RawBackend.okWithBody(RESULT));
             RelayProcess relay = relay(backend)) {
            long before = relay.residentBytes();
            AtomicLong peak = new AtomicLong(before);
            // 40 MB at 20 MB/s, then the client hangs up: the rest is never read from the backend
            long read = read(relay, peak, 40L << 20);
            assertThat(read).isGreaterThanOrEqualTo(40L << 20).isLessThan(RESULT);
            assertThat(peak.get() - before).isLessThan(64L << 20);
        }
    }

    private static RelayProcess relay(RawBackend backend) {
        Map<String, String> properties = Map.of("relay.backends", "raw", "relay.backend.raw.url", backend.url());
        return RelayProcess.start(properties, RelayProcess.launcherFlags(properties));
    }

    /** Reads the answer (all of it when slowUntil is 0, else slowly up to that much), sampling the relay's memory. */
    private static long read(RelayProcess relay, AtomicLong peak, long slowUntil) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(relay.url() + "/query?db=x&q=SELECT+*+FROM+big")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        long total = 0;
        long started = System.nanoTime();
        byte[] buffer = new byte[256 << 10];
        try (InputStream in = r.body()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total % (16 << 20) < n) {
                    peak.accumulateAndGet(relay.residentBytes(), Math::max);
                }
                if (slowUntil > 0) {
                    if (total >= slowUntil) {
                        break;
                    }
                    long due = started + total * 1_000_000_000L / (20L << 20); // 20 MB/s
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                }
            }
        }
        peak.accumulateAndGet(relay.residentBytes(), Math::max);
        return total;
    }
}
