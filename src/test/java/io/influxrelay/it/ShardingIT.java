package io.influxrelay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.testing.ChunkedAnswer;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RawBackend;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two shards of two replicas (four influxd): every measurement lands whole on both replicas of exactly
 * one shard, evenly spread, the same through every relay of the same configuration; a replica down
 * converges from its buffer, a whole shard down fails only the writes that have points for it.
 */
class ShardingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("a", "b", "c", "d");
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final Map<String, Influxd> SERVERS = new LinkedHashMap<>();
    /** One server fed the same points directly: what the sharded cluster must answer like. */
    private static Influxd unsharded;

    @BeforeAll
    static void start() {
        for (String name : NAMES) {
            Influxd server = Influxd.start();
            server.createDatabase("sharded");
            SERVERS.put(name, server);
        }
        unsharded = Influxd.start();
        unsharded.createDatabase("sharded");
    }

    @AfterAll
    static void stop() {
        Quietly.close(SERVERS.values().toArray(AutoCloseable[]::new));
        Quietly.close(unsharded);
    }

    static Map<String, String> shardedRelay(String... more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("relay.backends", String.join(",", NAMES));
        SERVERS.forEach((name, server) -> p.put("relay.backend." + name + ".url", server.url()));
        p.put("relay.shards", "s1,s2");
        p.put("relay.shard.s1.backends", "a,b");
        p.put("relay.shard.s2.backends", "c,d");
        p.put("relay.max-delay-interval", "1s");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static Set<String> measurements(Influxd server, String db) throws Exception {
        Set<String> names = new HashSet<>();
        JsonNode values = JSON.readTree(server.query(db, "SHOW MEASUREMENTS")).findPath("values");
        values.forEach(v -> names.add(v.get(0).asText()));
        return names;
    }

    @Test
    void everyMeasurementLivesWholeOnExactlyOneShardEvenlySpreadAndEveryRelayAgrees() throws Exception {
        try (RelayProcess one = RelayProcess.start(shardedRelay());
             RelayProcess two = RelayProcess.start(shardedRelay())) {
            // each measurement gets points through both relays: they must agree on its shard; the second
            // takes them as a 2.x client sends them, which is split among the shards alike
            for (RelayProcess relay : List.of(one, two)) {
                long t = relay == one ? 1_000_000_000L : 2_000_000_000L;
                String path = relay == one ? "/write?db=sharded" : "/api/v2/write?org=any&bucket=sharded&precision=ns";
                StringBuilder body = new StringBuilder();
                for (int m = 0; m < 1000; m++) {
                    body.append("route_").append(m).append(",host=h").append(m % 3).append(" v=").append(m).append("i ").append(t).append('\n');
                    if (m % 250 == 249) {
                        assertThat(Http.post(relay.url() + path, body.toString()).statusCode()).isEqualTo(204);
                        body.setLength(0);
                    }
                }
            }
            Set<String> s1 = measurements(SERVERS.get("a"), "sharded");
            Set<String> s2 = measurements(SERVERS.get("c"), "sharded");
            assertThat(measurements(SERVERS.get("b"), "sharded")).isEqualTo(s1);
            assertThat(measurements(SERVERS.get("d"), "sharded")).isEqualTo(s2);
            Set<String> both = new HashSet<>(s1);
            both.retainAll(s2);
            assertThat(both).as("measurements on both shards").isEmpty();
            Set<String> routed = s1.stream().filter(m -> m.startsWith("route_")).collect(java.util.stream.Collectors.toSet());
            routed.addAll(s2.stream().filter(m -> m.startsWith("route_")).toList());
            assertThat(routed).hasSize(1000);
            long onS1 = s1.stream().filter(m -> m.startsWith("route_")).count();
            assertThat(onS1).as("measurements on s1 of 1000").isBetween(425L, 575L);
            // both relays' points of one measurement are on its one shard, both replicas
            for (String m : List.of("route_0", "route_1", "route_999")) {
                Influxd replica = s1.contains(m) ? SERVERS.get("b") : SERVERS.get("d");
                assertThat(JSON.readTree(replica.query("sharded", "SELECT count(v) FROM " + m)).findPath("values").get(0).get(1).asInt())
                        .as(m).isEqualTo(2);
            }
            String status = Http.request("GET", one.url() + "/status").body();
            assertThat(JSON.readTree(status).path("shards")).hasSize(2);
            assertThat(JSON.readTree(status).path("shards").get(0).path("pointsRouted").asLong()).isEqualTo(onS1);
        }
    }

    @Test
    void aReplicaDownConvergesAndAWholeShardDownFailsOnlyWritesWithPointsForIt() throws Exception {
        try (RelayProcess relay = RelayProcess.start(shardedRelay());
             RelayProcess keeping = RelayProcess.start(shardedRelay("relay.write.consistency", "any"))) {
            String onS1 = measurementOn(relay, "a", "down_");
            String onS2 = measurementOn(relay, "c", "down_");
            // one replica of s2 down: writes succeed, d gets them from its buffer when it is back
            SERVERS.get("d").stop();
            assertThat(Http.post(relay.url() + "/write?db=sharded", onS2 + " v=1 10\n" + onS1 + " v=1 10").statusCode()).isEqualTo(204);
            SERVERS.get("d").restart();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(SERVERS.get("d").query("sharded", "SELECT v FROM " + onS2)).contains("[10,1]"));

            // the whole of s2 down: a write only for s1 succeeds; one with points for s2 fails, its s1 part is stored
            SERVERS.get("c").stop();
            SERVERS.get("d").stop();
            try {
                assertThat(Http.post(relay.url() + "/write?db=sharded", onS1 + " v=2 20").statusCode()).isEqualTo(204);
                assertThat(Http.post(relay.url() + "/write?db=sharded", onS1 + " v=3 30\n" + onS2 + " v=3 30").statusCode()).isEqualTo(503);
                assertThat(SERVERS.get("a").query("sharded", "SELECT v FROM " + onS1)).contains("[30,3]");
                // under any, the s2 part waits in c's and d's buffers
                assertThat(Http.post(keeping.url() + "/write?db=sharded", onS1 + " v=4 40\n" + onS2 + " v=4 40").statusCode()).isEqualTo(204);
            } finally {
                SERVERS.get("c").restart();
                SERVERS.get("d").restart();
            }
            for (String server : List.of("c", "d")) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(SERVERS.get(server).query("sharded", "SELECT v FROM " + onS2)).contains("[40,4]"));
            }
            assertThat(SERVERS.get("c").query("sharded", "SELECT v FROM " + onS2)).doesNotContain("[30,3]");
        }
    }

    @Test
    void aReplicaThatMissedWritesIsRepairedFromItsOwnShardOnly() throws Exception {
        // d has no buffer: what it misses is lost for it at once, and recorded for repair
        try (RelayProcess relay = RelayProcess.start(shardedRelay("relay.backend.d.buffer-size-mb", "0",
                "relay.recovery.interval", "1s"))) {
            assertThat(query(relay, "CREATE DATABASE heal")).doesNotContain("error");
            unsharded.createDatabase("heal"); // SHOW DATABASES is compared with it in another test
            String onS2 = null;
            String onS1 = null;
            SERVERS.get("d").stop();
            try {
                StringBuilder body = new StringBuilder();
                for (int m = 0; m < 20; m++) {
                    body.append("heal_").append(m).append(" v=").append(m).append("i ").append(5_000_000_000L + m).append('\n');
                }
                assertThat(Http.post(relay.url() + "/write?db=heal", body.toString()).statusCode()).isEqualTo(204);
                for (String m : measurements(SERVERS.get("c"), "heal")) {
                    onS2 = m;
                }
                for (String m : measurements(SERVERS.get("a"), "heal")) {
                    onS1 = m;
                }
                assertThat(onS1).isNotNull();
                assertThat(onS2).isNotNull();
            } finally {
                SERVERS.get("d").restart();
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Http.request("GET", relay.url() + "/health/backend/d").statusCode() == 200);
            // d holds what c holds, copied from c: none of s1's measurements
            assertThat(measurements(SERVERS.get("d"), "heal")).isEqualTo(measurements(SERVERS.get("c"), "heal"));
            assertThat(SERVERS.get("d").query("heal", "SELECT * FROM " + onS2))
                    .isEqualTo(SERVERS.get("c").query("heal", "SELECT * FROM " + onS2));
            assertThat(relay.log()).contains("recovery of backend d started", "from backend c");
        }
    }

    @Test
    void readsAnswerAsOneUnshardedServerFedTheSameData() throws Exception {
        try (RelayProcess relay = RelayProcess.start(shardedRelay())) {
            assertThat(query(relay, "CREATE DATABASE reads")).doesNotContain("error");
            unsharded.createDatabase("reads");
            StringBuilder body = new StringBuilder();
            String[] measurements = {"cpu", "mem", "disk", "disk_io", "net", "cpu_temp", "swap", "load"};
            for (int p = 0; p < 600; p++) {
                String m = measurements[p % measurements.length];
                body.append(m).append(",host=h").append(p % 5).append(",dc=").append(p % 2 == 0 ? "eu" : "us")
                        .append(" v=").append(p * 0.5).append(",n=").append(p).append("i,s=\"x").append(p % 4)
                        .append("\" ").append(1_700_000_000_000_000_000L + p * 60_000_000_000L).append('\n');
            }
            assertThat(Http.post(relay.url() + "/write?db=reads", body.toString()).statusCode()).isEqualTo(204);
            assertThat(unsharded.write("reads", body.toString())).isEqualTo(204);
            // the measurements are spread over both shards, or the test proves nothing
            assertThat(measurements(SERVERS.get("a"), "reads")).isNotEmpty();
            assertThat(measurements(SERVERS.get("c"), "reads")).isNotEmpty();

            for (String q : List.of(
                    "SELECT mean(v), max(n) FROM cpu WHERE time > 0 GROUP BY time(1h), host",
                    "SELECT count(v) FROM mem GROUP BY *",
                    "SELECT * FROM cpu, mem, disk WHERE host = 'h1'",
                    "SELECT last(v) FROM /d.*/ GROUP BY dc",
                    "SELECT count(*) FROM /.*/",
                    "SELECT * FROM /.*/ WHERE time < 1700000000000000000 + 3h GROUP BY *",
                    "SHOW MEASUREMENTS",
                    "SHOW MEASUREMENTS WITH MEASUREMENT =~ /c.*/",
                    "SHOW SERIES",
                    "SHOW SERIES FROM cpu WHERE dc = 'eu'",
                    "SHOW TAG KEYS",
                    "SHOW TAG VALUES WITH KEY = \"host\"",
                    "SHOW FIELD KEYS",
                    "SHOW FIELD KEYS FROM disk_io",
                    "SHOW DATABASES",
                    "SELECT count(v) FROM net; SHOW MEASUREMENTS; SELECT max(v) FROM /cpu.*/")) {
                assertThat(read(relay.url(), q)).as(q).isEqualTo(read(unsharded.url(), q));
            }
        }
    }

    @Test
    void chunkedReadsStreamTheChunkedAnswerOfOneUnshardedServer() throws Exception {
        try (RelayProcess relay = RelayProcess.start(shardedRelay())) {
            assertThat(query(relay, "CREATE DATABASE chunks")).doesNotContain("error");
            unsharded.createDatabase("chunks");
            // 12 measurements of 4 series of 250 points; tags and fields vary, so shards' columns differ
            StringBuilder body = new StringBuilder();
            for (int m = 0; m < 12; m++) {
                for (int h = 0; h < 4; h++) {
                    for (int p = 0; p < 250; p++) {
                        body.append("load").append(m).append(",host=h").append(h).append(m % 3 == 0 ? ",dc=eu" : "")
                                .append(" v=").append((m * 1000 + h * 250 + p) * 0.25).append(m % 4 == 1 ? ",n=" + p + "i" : "")
                                .append(m == 7 ? ",s=\"x\"" : "").append(' ').append(T0 + p * MINUTE).append('\n');
                    }
                    assertThat(Http.post(relay.url() + "/write?db=chunks", body.toString()).statusCode()).isEqualTo(204);
                    assertThat(unsharded.write("chunks", body.toString())).isEqualTo(204);
                    body.setLength(0);
                }
            }
            assertThat(measurements(SERVERS.get("a"), "chunks")).isNotEmpty();
            assertThat(measurements(SERVERS.get("c"), "chunks")).isNotEmpty();

            for (String q : List.of(
                    "SELECT * FROM /.*/ GROUP BY *",
                    "SELECT * FROM /.*/ GROUP BY * ORDER BY time DESC",
                    "SELECT * FROM /.*/ WHERE time < " + (T0 + 120 * MINUTE),
                    "SELECT mean(v), max(v) FROM /.*/ WHERE time >= " + T0 + " AND time < " + (T0 + 250 * MINUTE)
                            + " GROUP BY time(30m), host fill(none)",
                    "SELECT v FROM load0, load1, load2, load3 GROUP BY host LIMIT 120",
                    "SELECT count(v) FROM /.*/ GROUP BY host; SHOW MEASUREMENTS; SHOW TAG VALUES WITH KEY = host; "
                            + "SELECT v FROM load5, load6 GROUP BY host ORDER BY time DESC LIMIT 3",
                    "SHOW SERIES",
                    "SHOW TAG KEYS",
                    "SHOW FIELD KEYS",
                    "SHOW SERIES EXACT CARDINALITY",
                    "SELECT * FROM nothing_here, load0 WHERE time < 0",
                    // a statement error on one shard: its error and influxd's "not executed" after it, nothing more
                    "SELECT count(v) FROM /.*/; SELECT mean(s) FROM load7; SELECT count(v) FROM load1",
                    // influxd 1.6 panics on this one, answering statement_id -1
                    "SELECT count(v) FROM /.*/; SELECT mean(s) FROM /.*/; SELECT count(v) FROM load1")) {
                HttpResponse<String> mine = chunked(relay.url(), q);
                HttpResponse<String> theirs = chunked(unsharded.url(), q);
                assertThat(mine.statusCode()).as(q).isEqualTo(200);
                assertThat(ChunkedAnswer.decode(mine.body())).as(q).isEqualTo(ChunkedAnswer.decode(theirs.body()));
            }
            // the shards' chunks streamed as they are: many chunks, not one
            assertThat(chunked(relay.url(), "SELECT * FROM /.*/ GROUP BY *").body().lines().count()).isEqualTo(48 * 3);
            assertThat(chunked(relay.url(), "SELECT mean(s) FROM /.*/").body()).contains("\"error\"");

            // an error for the whole request: status and body as influxd's
            HttpResponse<String> refused = chunked(relay.url(), "SELECT v FROM /.*/ WHERE host = $h");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).isEqualTo(chunked(unsharded.url(), "SELECT v FROM /.*/ WHERE host = $h").body());

            // a whole shard down: the read fails cleanly, before any byte of an answer
            SERVERS.get("c").stop();
            SERVERS.get("d").stop();
            try {
                HttpResponse<String> failed = chunked(relay.url(), "SELECT * FROM /.*/ GROUP BY *");
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(failed.body()).startsWith("{\"error\":").doesNotContain("results");
            } finally {
                SERVERS.get("c").restart();
                SERVERS.get("d").restart();
            }
        }
    }

    @Test
    void aChunkedReadOverShardsStreamsInBoundedMemory() throws Exception {
        // two shards of one stand-in each, each sending 128 MB of chunks of one series: more than the relay's heap
        long perShard = 128L << 20;
        try (RawBackend one = RawBackend.start(chunkedSeries("a", perShard));
             RawBackend two = RawBackend.start(chunkedSeries("b", perShard))) {
            Map<String, String> p = standInShards(one, two);
            try (RelayProcess relay = RelayProcess.start(p, RelayProcess.launcherFlags(p))) {
                long before = relay.residentBytes();
                long peak = before;
                long read = 0;
                long lines = 0;
                long started = System.nanoTime();
                HttpResponse<java.io.InputStream> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(relay.url() + "/query?db=x&chunked=true&q=SELECT+*+FROM+%2F.*%2F")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).isEqualTo(200);
                byte[] buffer = new byte[256 << 10];
                try (java.io.InputStream in = r.body()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        for (int i = 0; i < n; i++) {
                            lines += buffer[i] == '\n' ? 1 : 0;
                        }
                        if (read / (16 << 20) != (read + n) / (16 << 20)) {
                            peak = Math.max(peak, relay.residentBytes());
                        }
                        read += n;
                    }
                }
                System.out.printf("chunked merged read: %d MB in %d chunks in %.1f s, resident before %d MB, peak %d MB%n",
                        read >> 20, lines, (System.nanoTime() - started) / 1e9, before >> 20, peak >> 20);
                assertThat(read).isGreaterThan(2 * perShard - (1 << 20));
                assertThat(lines).isEqualTo(2 * (perShard / seriesChunk("a", true).length));
                assertThat(peak - before).isLessThan(96L << 20);
            }
        }
    }

    private static String query(RelayProcess relay, String q) {
        return Http.post(relay.url() + "/query", "q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded").body();
    }

    private static String read(String base, String q) {
        return readRaw(base, q, "");
    }

    private static String readRaw(String base, String q, String extra) {
        return Http.request("GET", base + "/query?db=reads&epoch=ns" + extra + "&q="
                + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)).body();
    }

    @Test
    void aShardThatBreaksOffBeforeItsFirstChunkFailsTheChunkedReadCleanly() throws Exception {
        try (RawBackend one = RawBackend.start(chunkedSeries("a", 1 << 20));
             RawBackend two = RawBackend.start(RawBackend.bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     + "Content-Length: 1000\r\n\r\n{\"results\":[{\"statement_id\":0,"));
             RelayProcess relay = RelayProcess.start(standInShards(one, two))) {
            HttpResponse<String> r = Http.request("GET", relay.url() + "/query?db=x&chunked=true&q=SELECT+*+FROM+%2F.*%2F");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).startsWith("{\"error\":\"a shard broke off its answer");
        }
    }

    /** Two shards of one stand-in backend each. */
    private static Map<String, String> standInShards(RawBackend one, RawBackend two) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("relay.backends", "one,two");
        p.put("relay.backend.one.url", one.url());
        p.put("relay.backend.two.url", two.url());
        p.put("relay.backend.one.buffer-size-mb", "0");
        p.put("relay.backend.two.buffer-size-mb", "0");
        p.put("relay.shards", "s1,s2");
        p.put("relay.shard.s1.backends", "one");
        p.put("relay.shard.s2.backends", "two");
        return p;
    }

    /** A read of database chunks, answered chunked=true in chunks of 100 rows. */
    private static HttpResponse<String> chunked(String base, String q) {
        return Http.request("GET", base + "/query?db=chunks&epoch=ns&chunked=true&chunk_size=100&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8));
    }

    /** A stand-in influxd's chunked answer: one series in chunks of 1,000 rows, about {@code bytes} of them. */
    private static RawBackend.Answer chunkedSeries(String name, long bytes) {
        byte[] more = seriesChunk(name, true);
        byte[] last = seriesChunk(name, false);
        long chunks = bytes / more.length;
        return out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + ((chunks - 1) * more.length + last.length) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (long i = 1; i < chunks; i++) {
                out.write(more);
            }
            out.write(last);
        };
    }

    private static byte[] seriesChunk(String name, boolean more) {
        String partial = more ? ",\"partial\":true" : "";
        String rows = ("[" + T0 + ",0.5],").repeat(999) + "[" + T0 + ",0.5]";
        return ("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"" + name + "\",\"columns\":[\"time\",\"v\"],"
                + "\"values\":[" + rows + "]" + partial + "}]" + partial + "}]}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh measurement name that the relay routes to the shard holding {@code server}. */
    private static String measurementOn(RelayProcess relay, String server, String prefix) throws Exception {
        for (int i = 0; i < 100; i++) {
            String m = prefix + server + i;
            assertThat(Http.post(relay.url() + "/write?db=sharded", m + " probe=1 1").statusCode()).isEqualTo(204);
            if (measurements(SERVERS.get(server), "sharded").contains(m)) {
                return m;
            }
        }
        throw new AssertionError("no measurement went to " + server);
    }
}
