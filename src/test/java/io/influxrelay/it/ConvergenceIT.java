package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas converge: a write that one server accepted reaches the other once it is back, whatever the
 * client was told, and a client's ?consistency= (the influx CLI sends all on every INSERT) decides only
 * when the relay is told to honor it.
 */
class ConvergenceIT {
    private static Influxd a;
    private static Influxd b;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("converge");
        b.createDatabase("converge");
    }

    @AfterAll
    static void stop() {
        Quietly.close(a, b);
    }

    @Test
    void writesOneServerAcceptedReachTheOtherWhateverTheClientWasTold() throws Exception {
        try (RelayProcess honoring = RelayProcess.inFrontOf(a, b, Map.of(
                     "relay.write.client-consistency", "honor", "relay.max-delay-interval", "1s"));
             RelayProcess plain = RelayProcess.inFrontOf(a, b, Map.of("relay.max-delay-interval", "1s"))) {
            b.stop();
            // honored: all and quorum cannot be met with b down, so the client hears 503, yet a holds the points
            assertThat(Http.post(honoring.url() + "/write?db=converge&consistency=all", "c,via=all v=1 1000000000")
                    .statusCode()).isEqualTo(503);
            assertThat(Http.post(honoring.url() + "/write?db=converge&consistency=quorum", "c,via=quorum v=2 2000000000")
                    .statusCode()).isEqualTo(503);
            // the default ignores the CLI's consistency=all: the configured one (one) decides
            Process cli = new ProcessBuilder("influx", "-host", "127.0.0.1", "-port", Integer.toString(plain.port()),
                    "-database", "converge", "-execute", "INSERT c,via=cli v=3 3000000000").redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).doesNotContain("ERR");
            // an unknown level is still refused, as InfluxDB refuses it
            assertThat(Http.post(plain.url() + "/write?db=converge&consistency=most", "c v=4 4000000000").statusCode())
                    .isEqualTo(400);
            assertThat(a.query("converge", "SELECT count(v) FROM c")).contains(",3]");
            b.restart();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(b.query("converge", "SELECT * FROM c")).isEqualTo(a.query("converge", "SELECT * FROM c")));
            for (String via : List.of("all", "quorum", "cli")) {
                assertThat(b.query("converge", "SELECT * FROM c")).contains("\"" + via + "\"");
            }
        }
    }

    @Test
    void aWriteNoServerAcceptedIsKeptNowhere() {
        try (RelayProcess honoring = RelayProcess.inFrontOf(a, b, Map.of(
                "relay.write.client-consistency", "honor", "relay.max-delay-interval", "1s"))) {
            a.stop();
            b.stop();
            try {
                assertThat(Http.post(honoring.url() + "/write?db=converge", "nowhere v=1 1000000000").statusCode())
                        .isEqualTo(503);
            } finally {
                a.restart();
                b.restart();
            }
            // a client told 503 retries: nothing else may arrive meanwhile
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(a.query("converge", "SELECT * FROM nowhere")).doesNotContain("values");
                assertThat(b.query("converge", "SELECT * FROM nowhere")).doesNotContain("values");
            });
        }
    }

    @Test
    void replayStartsWhenTheServerAnswersAgainNotWhenTheBackOffEnds() {
        try (RelayProcess relay = RelayProcess.inFrontOf(a, b, Map.of("relay.max-delay-interval", "30s"))) {
            b.stop();
            assertThat(Http.post(relay.url() + "/write?db=converge", "back v=1 1000000000").statusCode()).isEqualTo(204);
            // five attempts (0.5 + 1 + 2 + 4 + 8 s): the back-off in progress is now 16 s
            await().atMost(Duration.ofSeconds(40)).until(() -> Prometheus.sample(Prometheus.scrape(relay),
                    "relay_buffer_retries_total", "backend=\"b\"") >= 5);
            b.restart();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Http.request("GET", relay.url() + "/health/backend/b").statusCode() == 200);
            double seconds = (System.nanoTime() - back) / 1e9;
            System.out.printf("replay after return: buffer drained %.1f s after b answered again%n", seconds);
            // one health interval (1 s) and the replay, with room for a busy machine; the back-off had 16 s to run
            assertThat(seconds).isLessThan(8);
            assertThat(b.query("converge", "SELECT * FROM back")).contains("[1000000000,1]");
        }
    }
}
