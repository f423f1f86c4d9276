package io.influxrelay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayAdminCommand;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backend down longer than its retry buffer holds: the relay records what it missed for good in the
 * ledger, keeps reads off it (503, missing-data), and repairs it by itself once it is back (resync from
 * the other backend, check, close), also across a relay restart. Every field type and escape survives.
 */
class RecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DATABASES = List.of("metrics", "other");

    private static Influxd a;
    private static Influxd b;
    private static Path ledgerDir;

    @BeforeAll
    static void start() throws Exception {
        a = Influxd.start();
        b = Influxd.start();
        ledgerDir = Files.createTempDirectory("relay-ledger-");
    }

    @AfterAll
    static void stop() {
        Quietly.close(a, b);
    }

    private static Map<String, String> relayProperties(String ledger) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("relay.buffer-size-mb", "1");
        p.put("relay.max-delay-interval", "1s");
        // long enough to see the backend missing-data before its repair starts
        p.put("relay.recovery.interval", "3s");
        p.put("relay.recovery.ledger", ledgerDir.resolve(ledger).toString());
        return p;
    }

    @Test
    void aBackendThatMissedWritesForGoodIsKeptOffReadsAndRepairedByItself() throws Exception {
        try (RelayProcess relay = RelayProcess.inFrontOf(a, b, relayProperties("one.json"))) {
            String lost = outageThatOverflowsTheBuffer(relay, "first");
            assertThat(ledger(relay).path("backends").path("b").size()).isPositive();
            assertThat(lost).isNotEmpty();

            b.restart();
            List<String> states = awaitRepair(relay);
            assertThat(states).contains("missing-data");
            assertThat(relay.log()).contains("recovery of backend b started", "recovery of backend b finished");
            assertSameData();
            assertThat(ledger(relay).path("backends").path("b").size()).isZero();
            for (String db : DATABASES) {
                JsonNode check = check(relay, db);
                assertThat(check.path("result").path("agrees").asBoolean()).as(check.toString()).isTrue();
            }
        }
    }

    @Test
    void theLedgerSurvivesARelayRestart() throws Exception {
        Map<String, String> properties = relayProperties("restart.json");
        try (RelayProcess relay = RelayProcess.inFrontOf(a, b, properties)) {
            outageThatOverflowsTheBuffer(relay, "restart");
        }
        assertThat(Files.readString(ledgerDir.resolve("restart.json"))).contains("\"b\"", "\"metrics\"");
        try (RelayProcess relay = RelayProcess.inFrontOf(a, b, properties)) {
            assertThat(Http.request("GET", relay.url() + "/health/backend/b").statusCode()).isEqualTo(503);
            b.restart();
            List<String> states = awaitRepair(relay);
            assertThat(states).contains("missing-data");
            assertSameData();
        }
    }

    @Test
    void withAutomaticRecoveryOffAnOperatorRepairsWithRelayAdmin() throws Exception {
        Map<String, String> properties = relayProperties("manual.json");
        properties.put("relay.recovery.auto", "false");
        try (RelayProcess relay = RelayProcess.inFrontOf(a, b, properties)) {
            outageThatOverflowsTheBuffer(relay, "manual");
            b.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(Http.request("GET", relay.url()
                    + "/health/backend/b").body()).path("state").asText().equals("missing-data"));
            RelayAdminCommand.Result missing = RelayAdminCommand.run(relay, "missing");
            assertThat(missing.exit()).isZero();
            assertThat(missing.out()).contains("b", "metrics", "other");

            RelayAdminCommand.Result recover = RelayAdminCommand.run(relay, "recover", "b");
            assertThat(recover.exit()).as(recover.out() + recover.err()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Http.request("GET", relay.url() + "/health/backend/b").statusCode() == 200);
            assertSameData();
        }
    }

    /**
     * Stops b, writes a steady stream until b's 1 MB buffer drops writes, then the varied points, which b
     * misses for good. Returns b's ledger ranges.
     */
    private static String outageThatOverflowsTheBuffer(RelayProcess relay, String run) throws Exception {
        for (String db : DATABASES) {
            assertThat(query(relay, "CREATE DATABASE " + db)).doesNotContain("error");
        }
        assertThat(query(relay, "CREATE RETENTION POLICY week ON metrics DURATION 7d REPLICATION 1")).doesNotContain("error");
        b.stop();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong failures = new AtomicLong();
        Thread stream = new Thread(() -> {
            long t = System.currentTimeMillis() * 1_000_000L;
            StringBuilder body = new StringBuilder();
            for (int n = 0; writing.get(); n++) {
                body.setLength(0);
                for (int i = 0; i < 200; i++) {
                    body.append("stream,run=").append(run).append(",host=h").append(i % 7).append(" v=").append(n * 200 + i)
                            .append("i,pad=\"").append("x".repeat(40)).append("\" ").append(t + (long) n * 200 + i).append('\n');
                }
                if (Http.post(relay.url() + "/write?db=metrics", body.toString()).statusCode() != 204) {
                    failures.incrementAndGet();
                }
            }
        });
        stream.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> droppedForB(relay) > 0);
        } finally {
            writing.set(false);
            stream.join();
        }
        assertThat(failures.get()).as("writes a answered were acknowledged").isZero();
        // fill what room is left with tiny writes, until one is dropped: then every write below is dropped for b
        double dropped = droppedForB(relay);
        for (int i = 0; droppedForB(relay) == dropped; i++) {
            assertThat(i).as("tiny writes before the buffer is full").isLessThan(1000);
            assertThat(Http.post(relay.url() + "/write?db=metrics", "filler,run=" + run + " v=" + i + "i").statusCode()).isEqualTo(204);
        }
        // the buffer is full: these are lost for b, and must come back exactly
        for (String[] write : variedPoints(run)) {
            assertThat(Http.post(relay.url() + "/write?" + write[0], write[1]).statusCode()).as(write[1]).isEqualTo(204);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger(relay).path("backends").path("b").toString().contains("other"));
        return ledger(relay).path("backends").path("b").toString();
    }

    /** Every field type, hostile strings, escaped keys, two databases, two retention policies, nanosecond times. */
    private static List<String[]> variedPoints(String run) {
        // an hour ago (the week policy keeps 7 days), with nanoseconds to lose
        long t = (System.currentTimeMillis() - 3_600_000L) * 1_000_000L + 123_456_789L + Math.floorMod(run.hashCode(), 1000);
        return List.of(
                new String[]{"db=metrics", "cpu\\ load,host=a\\,b,zone=eu\\=1 usage=0.5,count=42i,ok=true,"
                        + "note=\"say \\\"hi\\\", a\\\\b\nnext line\" " + t + "\n"
                        + "cpu\\ load,host=a\\,b,zone=eu\\=1 usage=1e-300,count=-9223372036854775807i,ok=false,note=\"\" " + (t + 1) + "\n"},
                // two of the largest doubles: their sum is +Inf, which influxd cannot answer (the check copes)
                new String[]{"db=metrics&rp=week&precision=ms", "mem,run=" + run + " free=1.7976931348623157e308,used=7i "
                        + (t / 1_000_000L) + "\nmem,run=" + run + " free=1.7976931348623157e308,used=8i " + (t / 1_000_000L + 1) + "\n"},
                new String[]{"db=other", "disk\\,io,dev=sd\\ a reads=3i,label=\"a,b=c d\" " + (t + 5) + "\n"});
    }

    /** Polls b's read health from its return until it is 200; returns the states seen on the way, each with a 503. */
    private static List<String> awaitRepair(RelayProcess relay) {
        List<String> states = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> health = Http.request("GET", relay.url() + "/health/backend/b");
            String state = JSON.readTree(health.body()).path("state").asText();
            if (health.statusCode() != 200) {
                assertThat(health.statusCode()).isEqualTo(503);
                if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                    states.add(state);
                }
                if (state.equals("missing-data")) {
                    assertThat(health.body()).contains("misses data");
                }
            }
            return health.statusCode() == 200;
        });
        return states;
    }

    private static void assertSameData() throws Exception {
        for (String db : DATABASES) {
            JsonNode rps = JSON.readTree(a.query(db, "SHOW RETENTION POLICIES ON " + db)).findPath("values");
            assertThat(JSON.readTree(b.query(db, "SHOW RETENTION POLICIES ON " + db)).findPath("values")).isEqualTo(rps);
            for (JsonNode rp : rps) {
                String select = "SELECT * FROM \"" + db + "\".\"" + rp.get(0).asText() + "\"./.*/ GROUP BY *";
                assertThat(b.query(db, select)).as(select).isEqualTo(a.query(db, select));
            }
        }
        assertThat(b.query("metrics", "SELECT * FROM \"cpu load\"")).contains("say \\\"hi\\\", a\\\\b\\nnext line");
    }

    /** A check of a and b over the last two days, through the management port, followed to its end. */
    private static JsonNode check(RelayProcess relay, String db) throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        String started = Http.post(relay.managementUrl() + "/relay/check", "{\"from\":\"a\",\"to\":\"b\",\"db\":\"" + db
                + "\",\"start\":" + (now - 2 * 86_400_000_000_000L) + ",\"end\":" + now + "}", "Content-Type", "application/json").body();
        String id = JSON.readTree(started).path("id").asText();
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            job[0] = JSON.readTree(Http.request("GET", relay.managementUrl() + "/relay/jobs/" + id).body());
            return !job[0].path("state").asText().equals("running");
        });
        return job[0];
    }

    private static double droppedForB(RelayProcess relay) {
        return Prometheus.sample(Prometheus.scrape(relay), "relay_buffer_dropped_writes_total", "backend=\"b\"");
    }

    private static JsonNode ledger(RelayProcess relay) throws Exception {
        return JSON.readTree(Http.request("GET", relay.managementUrl() + "/relay/missing-data").body());
    }

    private static String query(RelayProcess relay, String q) {
        return Http.post(relay.url() + "/query", "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded").body();
    }
}
