package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RawBackend;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backends that answer in ways a real influxd cannot be made to: a response cut off in its head, a
 * gigabyte of body, a reset. A raw-socket stand-in (backend s) next to a real influxd (backend a).
 */
class BackendAnswersIT {
    private static Influxd influxd;

    @BeforeAll
    static void start() {
        influxd = Influxd.start();
        influxd.createDatabase("answers");
    }

    @AfterAll
    static void stop() {
        Quietly.close(influxd);
    }

    private static RelayProcess relayWith(RawBackend standIn) {
        return relayWith(standIn, "10s");
    }

    private static RelayProcess relayWith(RawBackend standIn, String timeout) {
        return RelayProcess.start(Map.of(
                "relay.backends", "a,s",
                "relay.backend.a.url", influxd.url(),
                "relay.backend.s.url", standIn.url(),
                "relay.write.client-consistency", "honor",
                "relay.max-delay-interval", "1s",
                "relay.timeout", timeout));
    }

    private static String metrics(RelayProcess relay) {
        return Http.request("GET", relay.url() + "/metrics").body();
    }

    @Test
    void anAnswerCutOffInItsHeadIsAFailureNotASuccess() {
        try (RawBackend standIn = RawBackend.start(RawBackend.bytes("HTTP/1.1 204 No Con"));
             RelayProcess relay = relayWith(standIn)) {
            // every backend must accept: the stand-in did not, so the client must not hear success
            HttpResponse<String> all = Http.post(relay.url() + "/write?db=answers&consistency=all", "cut_all v=1 1000");
            assertThat(all.statusCode()).as(all.body()).isNotEqualTo(204);

            HttpResponse<String> one = Http.post(relay.url() + "/write?db=answers", "cut_one v=1 1000");
            assertThat(one.statusCode()).as(one.body()).isEqualTo(204);
            assertThat(influxd.query("answers", "SELECT count(v) FROM cut_one")).contains("[0,1]");

            // the stand-in holds nothing: both writes (influxd took the first too: replicas converge) wait in
            // its retry buffer, the second behind the first, and the failure is counted
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String status = Http.request("GET", relay.url() + "/status").body();
                assertThat(status).containsPattern("\"name\":\"s\".*\"state\":\"(draining|down)\".*\"writes\":2");
            });
            String metrics = metrics(relay);
            assertThat(Prometheus.sample(metrics, "relay_backend_failures_total", "backend=\"s\"")).isGreaterThanOrEqualTo(1);
            assertThat(Prometheus.sample(metrics, "relay_backend_requests_total", "backend=\"s\",status=\"204\"")).isZero();
            assertThat(standIn.answered()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anAnswerTrickledByteByByteTimesOutAsAWhole() {
        // a head that never ends, one byte every 200 ms for a minute: never silent for long, never done
        RawBackend.Answer trickle = out -> {
            out.write("HTTP/1.1 204 No Content\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 300; i++) {
                out.write('x');
                out.flush();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        };
        try (RawBackend standIn = RawBackend.start(trickle);
             RelayProcess relay = relayWith(standIn, "2s")) {
            HttpResponse<String> r = Http.post(relay.url() + "/write?db=answers", "trickled v=1 1000");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            // the backend's timeout bounds the attempt, not the silence between two bytes
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    Prometheus.sample(metrics(relay), "relay_backend_failures_total", "backend=\"s\",cause=\"timeout\""))
                    .isGreaterThanOrEqualTo(1));
            assertThat(standIn.answered()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aConnectionResetUnderAWriteIsCountedAsAResetAndTheWriteBuffered() {
        try (RawBackend standIn = RawBackend.start(RawBackend.reset());
             RelayProcess relay = relayWith(standIn)) {
            HttpResponse<String> r = Http.post(relay.url() + "/write?db=answers", "reset_under v=1 1000");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(Prometheus.sample(metrics(relay), "relay_backend_failures_total", "backend=\"s\",cause=\"reset\""))
                        .isGreaterThanOrEqualTo(1);
                // the stand-in missed the write: its retry buffer holds it
                assertThat(Http.request("GET", relay.url() + "/status").body())
                        .containsPattern("\"name\":\"s\".*\"state\":\"(draining|down)\".*\"writes\":1");
            });
            assertThat(standIn.answered()).isGreaterThanOrEqualTo(1);
            assertThat(influxd.query("answers", "SELECT count(v) FROM reset_under")).contains("[0,1]");
        }
    }

    @Test
    void aGigabyteAnswerIsNotRead() throws Exception {
        try (RawBackend standIn = RawBackend.start(RawBackend.okWithBody(1L << 30));
             RelayProcess relay = relayWith(standIn)) {
            assertThat(Http.post(relay.url() + "/write?db=answers", "warm v=1 1000").statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Prometheus.sample(metrics(relay), "relay_backend_requests_total", "backend=\"s\",status=\"200\"") >= 1);
            long before = relay.residentBytes();

            HttpResponse<String> r = Http.post(relay.url() + "/write?db=answers", "big_answer v=1 2000");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            long peak = relay.residentBytes();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                peak = Math.max(peak, relay.residentBytes());
                Thread.sleep(100);
            }
            // the stand-in's answer was taken (as a 200) long before a gigabyte could have been read
            assertThat(Prometheus.sample(metrics(relay), "relay_backend_requests_total", "backend=\"s\",status=\"200\""))
                    .isGreaterThanOrEqualTo(2);
            assertThat(peak - before).as("resident growth, bytes").isLessThan(100L << 20);
            assertThat(Http.request("GET", relay.url() + "/status").statusCode()).isEqualTo(200);
            assertThat(influxd.query("answers", "SELECT count(v) FROM big_answer")).contains("[0,1]");
        }
    }
}
