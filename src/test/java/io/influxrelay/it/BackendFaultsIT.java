package io.influxrelay.it;

import io.influxrelay.testing.FreePorts;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.RelayProcess;
import io.influxrelay.testing.StandInBackend;
import io.influxrelay.testing.StandInBackend.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The response rules when backends fail: one real influxd beside backends that are down (nothing
 * listening), hung, or answering 5xx (stand-ins, since a real influxd cannot be made to do that).
 */
class BackendFaultsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private static Influxd influxd;
    private static StandInBackend hung;
    private static StandInBackend failing;
    private static StandInBackend failingToo;
    private static String down;
    private static final List<RelayProcess> relays = new ArrayList<>();

    @BeforeAll
    static void start() {
        influxd = Influxd.start();
        influxd.createDatabase("faults");
        hung = StandInBackend.start(Behaviour.hang());
        failing = StandInBackend.start(Behaviour.status(500, "engine broke"));
        failingToo = StandInBackend.start(Behaviour.status(503, "write throttled"));
        down = "http://127.0.0.1:" + FreePorts.next();
    }

    @AfterAll
    static void stop() {
        relays.forEach(RelayProcess::close);
        Quietly.close(hung, failing, failingToo, influxd);
    }

    /** A relay in front of the given backend URLs, named b0, b1, ... */
    private static RelayProcess relay(String consistency, String... urls) {
        Map<String, String> p = new java.util.HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            names.add("b" + i);
            p.put("relay.backend.b" + i + ".url", urls[i]);
        }
        p.put("relay.backends", String.join(",", names));
        p.put("relay.timeout", TIMEOUT.toSeconds() + "s");
        p.put("relay.write.consistency", consistency);
        p.put("relay.write.client-consistency", "honor"); // some tests ask per write
        RelayProcess r = RelayProcess.start(p);
        relays.add(r);
        return r;
    }

    private static long millis(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1_000_000;
    }

    private static HttpResponse<String> write(RelayProcess relay, String query, String body) {
        return Http.post(relay.url() + "/write?" + query, body);
    }

    @Test
    void oneBackendDownStillGets204AndTheDataLandsOnTheOther() {
        RelayProcess relay = relay("one", down, influxd.url());
        HttpResponse<String> r = write(relay, "db=faults", "down_one v=1 1000");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(influxd.query("faults", "SELECT * FROM down_one")).contains("[1000,1]");
    }

    @Test
    void aHungBackendDoesNotDelayTheAnswer() {
        RelayProcess relay = relay("one", hung.url(), influxd.url());
        write(relay, "db=faults", "warm v=0 1"); // connections and JIT warm
        long directMs = millis(() -> influxd.write("faults", "hung_direct v=1 1000"));
        HttpResponse<String>[] r = new HttpResponse[1];
        long relayedMs = millis(() -> r[0] = write(relay, "db=faults", "hung v=1 1000"));
        assertThat(r[0].statusCode()).isEqualTo(204);
        // generous: far below the backend timeout, which a relay waiting on the hung backend would take
        assertThat(relayedMs).as("direct write took %d ms", directMs).isLessThan(Math.max(1000, directMs * 10));
        assertThat(influxd.query("faults", "SELECT * FROM hung")).contains("[1000,1]");
    }

    @Test
    void allBackendsDownIs503WithinTheTimeout() {
        RelayProcess relay = relay("one", down, "http://127.0.0.1:" + FreePorts.next());
        HttpResponse<String>[] r = new HttpResponse[1];
        long ms = millis(() -> r[0] = write(relay, "db=faults", "m v=1"));
        assertThat(r[0].statusCode()).isEqualTo(503);
        assertThat(r[0].body()).isEqualTo("{\"error\":\"unable to write points\"}\n");
        assertThat(ms).isLessThan(TIMEOUT.toMillis() + 2000);
    }

    @Test
    void allBackendsHungIsAnsweredWithinTheTimeoutPlusAMargin() {
        RelayProcess relay = relay("one", hung.url(), hung.url());
        HttpResponse<String>[] r = new HttpResponse[1];
        long ms = millis(() -> r[0] = write(relay, "db=faults", "m v=1"));
        assertThat(r[0].statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(ms).isBetween(TIMEOUT.toMillis() - 500, TIMEOUT.toMillis() + 2500);
    }

    @Test
    void everyBackendFailingPassesABackends5xxOn() {
        RelayProcess relay = relay("one", failing.url(), failingToo.url());
        HttpResponse<String> r = write(relay, "db=faults", "m v=1");
        assertThat(r.statusCode()).isIn(500, 503);
        assertThat(r.body()).containsAnyOf("engine broke", "write throttled");
        assertThat(r.headers().firstValue("X-InfluxDB-Error")).isPresent();
    }

    @Test
    void aPartial5xxIsHiddenFromTheClient() {
        RelayProcess relay = relay("one", failing.url(), influxd.url());
        assertThat(write(relay, "db=faults", "partial5xx v=1 1000").statusCode()).isEqualTo(204);
    }

    @Test
    void quorumAndAllApplyTheirCounts() {
        RelayProcess all = relay("all", influxd.url(), down);
        long ms = millis(() -> assertThat(write(all, "db=faults", "c_all v=1 1000").statusCode()).isEqualTo(503));
        assertThat(ms).as("a refused connection decides at once").isLessThan(2000);
        // the client's consistency wins over the configured one
        assertThat(write(all, "db=faults&consistency=one", "c_one v=1 1000").statusCode()).isEqualTo(204);

        RelayProcess quorum = relay("quorum", influxd.url(), influxd.url(), down);
        assertThat(write(quorum, "db=faults", "c_quorum v=1 1000").statusCode()).isEqualTo(204);
        assertThat(write(quorum, "db=faults&consistency=all", "c_all2 v=1 1000").statusCode()).isEqualTo(503);
    }

    @Test
    void credentialsAndTheQueryStringReachTheBackendsUntouched() {
        try (StandInBackend ok = StandInBackend.start(Behaviour.ok())) {
            RelayProcess relay = relay("all", ok.url(), influxd.url());
            HttpResponse<String> r = Http.post(relay.url() + "/write?db=faults&u=alice&p=s%26cret&rp=autogen&precision=s",
                    "cred v=1 1", "Authorization", "Token alice:secret");
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(ok.received()).hasSize(1);
            String request = ok.received().get(0);
            assertThat(request).startsWith("/write?db=faults&u=alice&p=s%26cret&rp=autogen&precision=s\n");
            assertThat(ok.authorizations()).containsExactly("Token alice:secret");
            assertThat(relay.log()).doesNotContain("secret");
        }
    }

    @Test
    void aBackendThatDisagreesWithTheAnswerIsLogged() {
        try (StandInBackend ok = StandInBackend.start(Behaviour.ok())) {
            RelayProcess relay = relay("all", ok.url(), influxd.url());
            HttpResponse<String> r = write(relay, "db=only_on_the_standin", "m v=1");
            assertThat(r.statusCode()).isEqualTo(404);
            await().untilAsserted(() -> assertThat(relay.log())
                    .contains("backend b0 answered 204 to a write whose client was answered 404"));
        }
    }

    @Test
    void aRestartedBackendsStalePooledConnectionsDoNotFailWrites() {
        RelayProcess relay = relay("all", influxd.url());
        for (int i = 0; i < 20; i++) {
            assertThat(write(relay, "db=faults", "stale v=" + i + " " + i).statusCode()).isEqualTo(204);
        }
        influxd.restart();
        for (int i = 20; i < 40; i++) {
            HttpResponse<String> r = write(relay, "db=faults", "stale v=" + i + " " + i);
            assertThat(r.statusCode()).as("write %d after the restart: %s", i, r.body()).isEqualTo(204);
        }
        await().untilAsserted(() -> assertThat(influxd.query("faults", "SELECT count(v) FROM stale")).contains(",40]"));
    }
}
