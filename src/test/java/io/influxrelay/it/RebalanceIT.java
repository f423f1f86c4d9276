package io.influxrelay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayAdminCommand;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From one shard (a, b) to two (a, b and c, d) with the data in place, under steady writes and reads:
 * the moving keys are listed (dry run), copied and checked, the copy resumes after a relay restart,
 * reads stay complete, and once reads moved the old shard no longer holds the moved keys. No
 * acknowledged point is lost.
 */
class RebalanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MEASUREMENTS = 30;
    private static final int POINTS_EACH = 200;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final Map<String, Influxd> SERVERS = new LinkedHashMap<>();
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        for (String name : List.of("a", "b", "c", "d")) {
            SERVERS.put(name, Influxd.start());
        }
        data = Files.createTempDirectory("relay-rebalance-");
    }

    @AfterAll
    static void stop() {
        Quietly.close(SERVERS.values().toArray(AutoCloseable[]::new));
    }

    private static Map<String, String> relay(List<String> backends, String... more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("relay.backends", String.join(",", backends));
        backends.forEach(name -> p.put("relay.backend." + name + ".url", SERVERS.get(name).url()));
        p.put("relay.recovery.ledger", data.resolve("missing-data.json").toString());
        p.put("relay.max-delay-interval", "1s");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static final String[] TWO_SHARDS = {"relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b",
            "relay.shard.s2.backends", "c,d"};

    @Test
    void keysMoveToTheAddedShardWhileClientsWriteAndReadAndTheOldShardLetsThemGo() throws Exception {
        // one shard of two: every measurement on a and b
        try (RelayProcess before = RelayProcess.start(relay(List.of("a", "b")))) {
            Http.post(before.url() + "/query", "q=CREATE+DATABASE+move", "Content-Type", "application/x-www-form-urlencoded");
            StringBuilder body = new StringBuilder();
            for (int m = 0; m < MEASUREMENTS; m++) {
                for (int p = 0; p < POINTS_EACH; p++) {
                    body.append("move_").append(m).append(",host=h").append(p % 3).append(" v=").append(p).append("i,s=\"p ")
                            .append(p).append("\" ").append(T0 + p * 1_000_000_000L).append('\n');
                }
            }
            assertThat(Http.post(before.url() + "/write?db=move", body.toString()).statusCode()).isEqualTo(204);
        }
        Http.post(SERVERS.get("c").url() + "/query", "q=CREATE+DATABASE+move", "Content-Type", "application/x-www-form-urlencoded");
        Http.post(SERVERS.get("d").url() + "/query", "q=CREATE+DATABASE+move", "Content-Type", "application/x-www-form-urlencoded");

        List<String> all = List.of("a", "b", "c", "d");
        String[] rebalancing = concat(TWO_SHARDS, "relay.shards.previous", "s1", "relay.resync.max-points-per-second", "1500");
        AtomicReference<String> url = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> incompleteReads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong completeReads = new java.util.concurrent.atomic.AtomicLong();
        Thread clients = new Thread(() -> {
            long t = T0 + 1_000_000_000_000L;
            for (int n = 0; running.get(); n++, t += 1_000_000L) {
                String relay = url.get();
                String m = "move_" + (n % MEASUREMENTS);
                try {
                    if (Http.post(relay + "/write?db=move", m + ",host=live v=" + n + "i " + t).statusCode() == 204) {
                        acknowledged.add(m + "@" + t);
                    }
                    // a read of one key must never miss its history, wherever the key is in its move
                    java.net.http.HttpResponse<String> read = Http.request("GET", relay + "/query?db=move&q=SELECT+count(v)+FROM+"
                            + m + "+WHERE+host%21%3D%27live%27");
                    String answer = read.body();
                    // a relay stopping answers nothing useful: a 200 that lacks points is what must never happen
                    JsonNode count = read.statusCode() == 200 ? JSON.readTree(answer).findPath("values") : null;
                    if (count != null && count.path(0).path(1).asLong() == POINTS_EACH) {
                        completeReads.incrementAndGet();
                    } else if (count != null) {
                        synchronized (incompleteReads) {
                            incompleteReads.add(m + " via " + relay + ": " + answer.trim());
                        }
                    }
                } catch (RuntimeException | java.io.IOException e) {
                    // the relay is restarting: neither acknowledged nor read
                }
            }
        });

        List<String> moving;
        try (RelayProcess first = RelayProcess.start(relay(all, rebalancing))) {
            url.set(first.url());
            clients.start();
            JsonNode plan = admin(first, "rebalance", "--dry-run", "--json");
            assertThat(plan.path("state").asText()).as(plan.toString()).isEqualTo("done");
            moving = new ArrayList<>();
            for (JsonNode m : plan.path("result").path("moves")) {
                assertThat(m.path("to").asText()).isEqualTo("s2");
                assertThat(m.path("points").asLong()).isGreaterThanOrEqualTo(POINTS_EACH);
                assertThat(m.path("state").asText()).isEqualTo("pending");
                moving.add(m.path("measurement").asText());
            }
            assertThat(moving.size()).as("keys that move of " + MEASUREMENTS).isBetween(5, 25);
            assertThat(data.resolve("rebalance.json")).doesNotExist();

            // start it, and stop the relay half way: the copy must resume where it was
            Http.post(first.managementUrl() + "/relay/rebalance", "{}", "Content-Type", "application/json");
            await().atMost(Duration.ofSeconds(120)).until(() -> first.log().contains(" copied from shard s1 to shard s2"));
        }
        String afterStop = Files.readString(data.resolve("rebalance.json"));
        assertThat(afterStop).contains("\"copied\"").contains("\"pending\"");
        try (RelayProcess second = RelayProcess.start(relay(all, rebalancing))) {
            url.set(second.url());
            JsonNode done = admin(second, "rebalance", "--json");
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
            assertThat(second.log()).containsPattern("keys move to the new shards \\([1-9][0-9]* already copied\\)");
            // the finish refuses while reads still go to the old shard
            assertThat(admin(second, "rebalance", "--finish", "--json").path("error").asText()).contains("relay.shards.previous");
        }
        // reads move: relays without relay.shards.previous; then the old shard lets the moved keys go
        try (RelayProcess after = RelayProcess.start(relay(all, TWO_SHARDS))) {
            url.set(after.url());
            Thread.sleep(2000);
            running.set(false);
            clients.join();
            JsonNode finished = admin(after, "rebalance", "--finish", "--json");
            assertThat(finished.path("state").asText()).as(finished.toString()).isEqualTo("done");

            Set<String> onOld = measurements("a");
            for (String m : moving) {
                assertThat(onOld).doesNotContain(m);
                assertThat(measurements("b")).doesNotContain(m);
                assertThat(SERVERS.get("c").query("move", "SELECT * FROM " + m)).isEqualTo(SERVERS.get("d").query("move", "SELECT * FROM " + m));
            }
            // every acknowledged point is on both replicas of its key's shard now, and read back through the relay
            for (String point : acknowledged) {
                String m = point.substring(0, point.indexOf('@'));
                String t = point.substring(point.indexOf('@') + 1);
                for (String server : moving.contains(m) ? List.of("c", "d") : List.of("a", "b")) {
                    assertThat(SERVERS.get(server).query("move", "SELECT v FROM " + m + " WHERE time = " + t))
                            .as(point + " on " + server).contains("[" + t + ",");
                }
            }
            long total = 0;
            for (JsonNode series : JSON.readTree(Http.request("GET", after.url()
                    + "/query?db=move&q=SELECT+count(v)+FROM+%2Fmove_.*%2F").body()).findPath("series")) {
                total += series.path("values").path(0).path(1).asLong();
            }
            assertThat(total).isEqualTo((long) MEASUREMENTS * POINTS_EACH + acknowledged.size());
        }
        assertThat(incompleteReads).as("reads that missed history during the move").isEmpty();
        assertThat(acknowledged).isNotEmpty();
        assertThat(completeReads.get()).as("reads that saw the whole history").isGreaterThan(100);
    }

    private static Set<String> measurements(String server) throws Exception {
        Set<String> names = new HashSet<>();
        JSON.readTree(SERVERS.get(server).query("move", "SHOW MEASUREMENTS")).findPath("values").forEach(v -> names.add(v.get(0).asText()));
        return names;
    }

    /** The command's --json answer; its error text when it printed none. */
    private static JsonNode admin(RelayProcess relay, String... args) throws Exception {
        RelayAdminCommand.Result r = RelayAdminCommand.run(relay, args);
        return r.out().isBlank() ? JSON.createObjectNode().put("error", r.err()) : JSON.readTree(r.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
