package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import io.influxrelay.testing.StandInBackend;
import io.influxrelay.testing.StandInBackend.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * relay.http.max-concurrent-writes: with both backends holding their writes (stand-ins, since a real
 * influxd cannot be made to stall on demand), writes beyond the limit are refused at once with 503 and
 * Retry-After, in InfluxDB's shape for 1.x and 2.x clients; once the backends answer, the held writes
 * succeed, the refused ones are retried, and every write reaches both backends exactly once.
 */
class WriteThrottleIT {
    private static final int LIMIT = 4;

    private static StandInBackend a;
    private static StandInBackend b;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = StandInBackend.start(Behaviour.held());
        b = StandInBackend.start(Behaviour.held());
        relay = RelayProcess.start(Map.of(
                "relay.backends", "a,b",
                "relay.backend.a.url", a.url(),
                "relay.backend.b.url", b.url(),
                "relay.timeout", "60s",
                "relay.http.max-concurrent-writes", Integer.toString(LIMIT)));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static String point(int i) {
        return "throttled,n=" + i + " v=1 " + i;
    }

    private static CompletableFuture<HttpResponse<String>> writeAsync(int i) {
        return CompletableFuture.supplyAsync(() -> Http.post(relay.url() + "/write?db=x", point(i)));
    }

    @Test
    void writesBeyondTheLimitAre503WithRetryAfterAndNoneIsLost() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            held.add(writeAsync(i));
        }
        await().until(() -> a.received().size() == LIMIT && b.received().size() == LIMIT);

        List<Integer> refused = new ArrayList<>();
        for (int i = LIMIT; i < LIMIT + 6; i++) {
            HttpResponse<String> r = writeAsync(i).get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(r.body()).isEqualTo("{\"error\":\"request throttled, exceeds concurrent write limit of " + LIMIT + "\"}\n");
            refused.add(i);
        }
        HttpResponse<String> v2 = Http.post(relay.url() + "/api/v2/write?bucket=x", point(99));
        assertThat(v2.statusCode()).isEqualTo(503);
        assertThat(v2.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(v2.body()).startsWith("{\"code\":\"unavailable\",\"message\":\"request throttled");
        assertThat(Prometheus.sample(Prometheus.scrape(relay), "relay_write_throttled_total", "")).isEqualTo(7.0);
        assertThat(Prometheus.sample(Prometheus.scrape(relay), "relay_write_in_flight", "")).isEqualTo(LIMIT);

        a.open();
        b.open();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        }
        // the client does as told: it comes back, and the slots are free again
        for (int i : refused) {
            assertThat(Http.post(relay.url() + "/write?db=x", point(i)).statusCode()).isEqualTo(204);
        }
        assertThat(Http.post(relay.url() + "/api/v2/write?bucket=x", point(99)).statusCode()).isEqualTo(204);

        List<String> expected = new ArrayList<>(IntStream.range(0, LIMIT + 6).mapToObj(WriteThrottleIT::point).toList());
        expected.add(point(99));
        for (StandInBackend backend : List.of(a, b)) {
            await().untilAsserted(() -> assertThat(backend.received().stream().map(r -> r.substring(r.indexOf('\n') + 1).strip()))
                    .containsExactlyInAnyOrderElementsOf(expected));
        }
        assertThat(Prometheus.sample(Prometheus.scrape(relay), "relay_write_in_flight", "")).isZero();
    }
}
