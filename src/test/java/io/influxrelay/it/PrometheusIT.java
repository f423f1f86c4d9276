package io.influxrelay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.ShardConfig;
import io.influxrelay.sharding.ShardLayout;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.PromProto;
import io.influxrelay.testing.PromProto.Series;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import io.influxrelay.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus remote write and read through the relay to two real influxd: a WriteRequest built with the
 * protobuf library and compressed with snappy reaches both servers (InfluxQL sees the metric as a measurement
 * with a value field and the labels as tags), a remote read through the relay answers it; a server down gets
 * the write later from its buffer, in order with a /write of the same series; a body that is not a remote
 * write is refused InfluxDB's way; with shards, each metric lands on the shard its name hashes to.
 */
class PrometheusIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long T0 = 1_700_000_000_000L;
    private static final String[] REMOTE_WRITE = {"Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
            "X-Prometheus-Remote-Write-Version", "0.1.0"};

    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        for (Influxd server : List.of(a, b)) {
            server.createDatabase("prom");
            server.createDatabase("promshards");
        }
        relay = RelayProcess.inFrontOf(a, b, Map.of("relay.max-delay-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static HttpResponse<String> remoteWrite(RelayProcess to, String query, List<Series> series) {
        return Http.post(to.url() + "/api/v1/prom/write?" + query, PromProto.snappy(PromProto.writeRequest(series)), REMOTE_WRITE);
    }

    private static HttpResponse<byte[]> remoteRead(RelayProcess to, String query, byte[] readRequest) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(to.url() + "/api/v1/prom/read?" + query))
                .timeout(Duration.ofSeconds(30))
                .headers("Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
                        "X-Prometheus-Remote-Read-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PromProto.snappy(readRequest))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** [time ms, value, tag] of every point of a measurement on one server, in time order (Influxd asks epoch=ns). */
    private static List<List<Object>> points(Influxd server, String db, String measurement, String tag) throws IOException {
        JsonNode values = JSON.readTree(server.query(db, "SELECT value, \"" + tag + "\" FROM \"" + measurement + "\"")).findPath("values");
        List<List<Object>> rows = new ArrayList<>();
        values.forEach(v -> rows.add(List.of(v.get(0).asLong() / 1_000_000L, v.get(1).asDouble(),
                v.get(2).asText())));
        return rows;
    }

    @Test
    void aRemoteWriteReachesBothBackendsAndReadsBackThroughInfluxQlAndRemoteRead() throws Exception {
        List<Series> series = List.of(
                Series.of("node_load1", Map.of("instance", "host-a", "job", "node")).sample(T0, 0.5).sample(T0 + 15_000, 0.75),
                Series.of("node_load1", Map.of("instance", "host-b", "job", "node")).sample(T0, 1.5),
                Series.of("up", Map.of("instance", "host-a", "job", "node")).sample(T0, 1));

        HttpResponse<String> written = remoteWrite(relay, "db=prom", series);
        assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
        assertThat(written.headers().firstValue("X-Influxdb-Version")).isPresent();

        for (Influxd server : List.of(a, b)) { // InfluxDB's own mapping: metric -> measurement, value field, labels -> tags
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(points(server, "prom", "node_load1", "instance"))
                    .containsExactly(List.of(T0, 0.5, "host-a"), List.of(T0, 1.5, "host-b"), List.of(T0 + 15_000, 0.75, "host-a")));
            assertThat(points(server, "prom", "up", "job")).containsExactly(List.of(T0, 1.0, "node"));
        }

        HttpResponse<byte[]> read = remoteRead(relay, "db=prom", PromProto.readRequest(T0 - 1000, T0 + 60_000,
                new Object[]{0, "__name__", "node_load1"}, new Object[]{0, "instance", "host-a"}));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(read.headers().firstValue("Content-Encoding")).hasValue("snappy");
        List<List<Series>> results = PromProto.readResponse(PromProto.unsnappy(read.body()));
        assertThat(results).singleElement().satisfies(result -> assertThat(result).singleElement().satisfies(s -> {
            assertThat(s.labels()).containsEntry("__name__", "node_load1").containsEntry("instance", "host-a")
                    .containsEntry("job", "node");
            assertThat(s.values()).containsExactly(0.5, 0.75);
            assertThat(s.times()).extracting(t -> t[0]).containsExactly(T0, T0 + 15_000);
        }));
    }

    @Test
    void aBodyThatIsNotARemoteWriteIsRefusedInfluxDbsWayAndTheRelayStaysUp() throws Exception {
        HttpResponse<String> notSnappy = Http.post(relay.url() + "/api/v1/prom/write?db=prom", "cpu v=1", REMOTE_WRITE);
        assertThat(notSnappy.statusCode()).isEqualTo(400);
        assertThat(notSnappy.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(notSnappy.headers().firstValue("X-Influxdb-Error")).hasValue("snappy: corrupt input");
        assertThat(notSnappy.body()).isEqualTo("{\"error\":\"snappy: corrupt input\"}\n"); // influxd ends it with a newline too

        byte[] garbage = new byte[200];
        java.util.Arrays.fill(garbage, (byte) 0xff);
        HttpResponse<String> notProtobuf = Http.post(relay.url() + "/api/v1/prom/write?db=prom", PromProto.snappy(garbage), REMOTE_WRITE);
        assertThat(notProtobuf.statusCode()).isEqualTo(400);
        assertThat(notProtobuf.body()).startsWith("{\"error\":\"not a Prometheus remote-write request");

        HttpResponse<String> noDb = remoteWrite(relay, "", List.of(Series.of("up", Map.of()).sample(T0, 1)));
        assertThat(noDb.statusCode()).isEqualTo(400);
        assertThat(noDb.body()).isEqualTo("{\"error\":\"database is required\"}\n");

        HttpResponse<String> unknownDb = remoteWrite(relay, "db=nope", List.of(Series.of("up", Map.of()).sample(T0, 1)));
        assertThat(unknownDb.statusCode()).as("InfluxDB's own answer, passed on").isEqualTo(404);
        assertThat(unknownDb.body()).contains("database not found");

        assertThat(Http.request("GET", relay.url() + "/api/v1/prom/write?db=prom").statusCode()).isEqualTo(405);
        HttpResponse<byte[]> badRead = remoteRead(relay, "db=prom", "not a read".getBytes());
        assertThat(badRead.statusCode()).isEqualTo(400);

        assertThat(remoteWrite(relay, "db=prom", List.of(Series.of("still_up", Map.of()).sample(T0, 1))).statusCode()).isEqualTo(204);
        assertThat(Http.request("GET", relay.url() + "/metrics").body()).contains("relay_write_requests_total{status=\"400\"}");
    }

    @Test
    void aBackendDownGetsTheRemoteWriteFromItsBufferInOrderWithWritesOfTheSameSeries() throws Exception {
        b.stop();
        try {
            Series first = Series.of("ordered_metric", Map.of("job", "order")).sample(T0, 1);
            assertThat(remoteWrite(relay, "db=prom", List.of(first)).statusCode()).isEqualTo(204);
            // the same series and time through /write, after: on every server the later value must win (InfluxDB 1.x
            // keeps __name__ as a tag of the series, beside the other labels)
            HttpResponse<String> overwrite = Http.post(relay.url() + "/write?db=prom&precision=ms",
                    "ordered_metric,__name__=ordered_metric,job=order value=2 " + T0);
            assertThat(overwrite.statusCode()).isEqualTo(204);
            assertThat(remoteWrite(relay, "db=prom", List.of(Series.of("ordered_metric", Map.of("job", "order"))
                    .sample(T0 + 1000, 3))).statusCode()).isEqualTo(204);
            assertThat(Http.request("GET", relay.url() + "/health/backend/b").statusCode()).isEqualTo(503);
        } finally {
            b.restart();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.request("GET", relay.url() + "/health/backend/b").statusCode()).isEqualTo(200));
        for (Influxd server : List.of(a, b)) {
            assertThat(points(server, "prom", "ordered_metric", "job"))
                    .containsExactly(List.of(T0, 2.0, "order"), List.of(T0 + 1000, 3.0, "order"));
        }
    }

    @Test
    void aRemoteWriteQueuedOnDiskSurvivesAKilledRelayAndReachesTheBackendThatWasDown() throws Exception {
        java.nio.file.Path store = java.nio.file.Files.createTempDirectory("relay-prom-store-");
        Map<String, String> onDisk = Map.of("relay.buffer.store", "disk", "relay.buffer.dir", store.resolve("buffer").toString(),
                "relay.recovery.ledger", store.resolve("missing-data.json").toString(), "relay.max-delay-interval", "1s");
        b.stop();
        RelayProcess second = null;
        try {
            try (RelayProcess first = RelayProcess.inFrontOf(a, b, onDisk)) {
                assertThat(remoteWrite(first, "db=prom", List.of(Series.of("on_disk", Map.of("job", "disk")).sample(T0, 1)))
                        .statusCode()).isEqualTo(204);
                assertThat(Http.post(first.url() + "/write?db=prom&precision=ms",
                        "on_disk,__name__=on_disk,job=disk value=2 " + (T0 + 1000)).statusCode()).isEqualTo(204);
                assertThat(remoteWrite(first, "db=prom", List.of(Series.of("on_disk", Map.of("job", "disk")).sample(T0 + 2000, 3)))
                        .statusCode()).isEqualTo(204);
                first.kill(); // SIGKILL: what was queued for b is on disk only
            }
            second = RelayProcess.inFrontOf(a, b, onDisk);
            assertThat(second.log()).contains("3 writes").contains("kept from before the restart");
        } finally {
            b.restart();
        }
        try (RelayProcess relay = second) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Http.request("GET", relay.url() + "/health/backend/b").statusCode()).isEqualTo(200));
            assertThat(points(b, "prom", "on_disk", "job")).containsExactly(
                    List.of(T0, 1.0, "disk"), List.of(T0 + 1000, 2.0, "disk"), List.of(T0 + 2000, 3.0, "disk"));
        } finally {
            TempDirs.delete(store);
        }
    }

    @Test
    void withShardsEachMetricLandsOnTheShardItsNameHashesToAndReadsComeBackWhole() throws Exception {
        // two shards of one replica each, on the two servers, in a database of their own
        ShardLayout layout = new ShardLayout(new ShardConfig(List.of(new ShardConfig.Shard("s1", List.of("a")),
                new ShardConfig.Shard("s2", List.of("b"))), true, null), List.of(backend("a", a), backend("b", b)));
        try (RelayProcess sharded = RelayProcess.inFrontOf(a, b, Map.of("relay.shards", "s1,s2",
                "relay.shard.s1.backends", "a", "relay.shard.s2.backends", "b"))) {
            List<Series> series = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                series.add(Series.of("sharded_metric_" + i, Map.of("job", "shards")).sample(T0, i).sample(T0 + 1000, i + 0.5));
            }
            HttpResponse<String> written = remoteWrite(sharded, "db=promshards", series);
            assertThat(written.statusCode()).as(written.body()).isEqualTo(204);

            int onA = 0;
            for (Series s : series) {
                boolean inA = layout.shardOf("promshards", s.name(), null) == 0;
                onA += inA ? 1 : 0;
                assertThat(points(inA ? a : b, "promshards", s.name(), "job")).as(s.name()).hasSize(2);
                assertThat(points(inA ? b : a, "promshards", s.name(), "job")).as(s.name()).isEmpty();

                HttpResponse<byte[]> read = remoteRead(sharded, "db=promshards",
                        PromProto.readRequest(T0 - 1000, T0 + 60_000, new Object[]{0, "__name__", s.name()}));
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(PromProto.readResponse(PromProto.unsnappy(read.body()))).singleElement()
                        .satisfies(r -> assertThat(r).singleElement().satisfies(got -> assertThat(got.values())
                                .containsExactlyElementsOf(s.values())));
            }
            assertThat(onA).as("both shards get metrics").isBetween(1, 11);

            // a read naming no metric by equality spans the shards: each is asked, the answers merged
            HttpResponse<byte[]> spanning = remoteRead(sharded, "db=promshards",
                    PromProto.readRequest(T0 - 1000, T0 + 60_000, new Object[]{2, "__name__", "sharded_metric_.*"}));
            assertThat(spanning.statusCode()).isEqualTo(200);
            assertThat(spanning.headers().firstValue("Content-Encoding")).hasValue("snappy");
            assertThat(PromProto.readResponse(PromProto.unsnappy(spanning.body()))).singleElement().satisfies(r -> {
                assertThat(r).extracting(Series::name).containsExactlyInAnyOrderElementsOf(series.stream().map(Series::name).toList());
                assertThat(r).allSatisfy(s -> assertThat(s.values()).hasSize(2));
            });
        }
    }

    /** A stand-in backend that records every remote write and read as it came (path, query, headers, bytes). */
    private static final class Recorder implements AutoCloseable {
        record Request(String path, String query, Map<String, String> headers, byte[] body) {
        }

        final List<Request> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger refuseNext = new java.util.concurrent.atomic.AtomicInteger();
        /** Statuses to answer the next remote writes with, in order (then 204). */
        final java.util.concurrent.ConcurrentLinkedQueue<Integer> answers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final byte[] readAnswer;
        final com.sun.net.httpserver.HttpServer server;

        Recorder(byte[] readAnswer) throws IOException {
            this.readAnswer = readAnswer;
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String path = exchange.getRequestURI().getPath();
                    if (!path.startsWith("/api/v1/prom/")) {
                        exchange.sendResponseHeaders(204, -1); // /ping
                        return;
                    }
                    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
                    requests.add(new Request(path, exchange.getRequestURI().getRawQuery(), headers, body));
                    if (path.endsWith("/read")) {
                        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                        exchange.getResponseHeaders().add("Content-Encoding", "snappy");
                        exchange.sendResponseHeaders(200, readAnswer.length);
                        exchange.getResponseBody().write(readAnswer);
                    } else if (refuseNext.getAndDecrement() > 0) {
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(503, -1);
                    } else if (!answers.isEmpty()) {
                        byte[] error = "{\"error\":\"refused by the stand-in\"}".getBytes();
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(answers.poll(), error.length);
                        exchange.getResponseBody().write(error);
                    } else {
                        exchange.sendResponseHeaders(204, -1);
                    }
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void theBodyAndItsHeadersReachTheBackendsByteForByteDirectlyAndOnReplayAndTheReadAnswerComesBackUntouched() throws Exception {
        byte[] readAnswer = PromProto.snappy(new byte[]{0x0a, 0x00}); // a ReadResponse with one empty result
        try (Recorder x = new Recorder(readAnswer); Recorder y = new Recorder(readAnswer);
             RelayProcess toStandIns = RelayProcess.start(Map.of("relay.backends", "x,y", "relay.backend.x.url", x.url(),
                     "relay.backend.y.url", y.url(), "relay.max-delay-interval", "1s"))) {
            y.refuseNext.set(1); // y misses the write once: it gets it from its retry buffer
            byte[] body = PromProto.snappy(PromProto.writeRequest(List.of(
                    Series.of("exact_bytes", Map.of("job", "x")).sample(T0, 42))));
            String query = "db=prom&rp=autogen&u=me&p=secret";
            assertThat(Http.post(toStandIns.url() + "/api/v1/prom/write?" + query, body, REMOTE_WRITE).statusCode()).isEqualTo(204);

            await().atMost(Duration.ofSeconds(30)).until(() -> y.requests.size() == 2);
            assertThat(x.requests).hasSize(1);
            for (Recorder.Request r : List.of(x.requests.get(0), y.requests.get(0), y.requests.get(1))) {
                assertThat(r.path()).isEqualTo("/api/v1/prom/write");
                assertThat(r.query()).isEqualTo(query);
                assertThat(r.body()).isEqualTo(body);
                assertThat(r.headers()).containsEntry("Content-Type", "application/x-protobuf")
                        .containsEntry("Content-Encoding", "snappy").containsEntry("X-Prometheus-Remote-Write-Version", "0.1.0");
            }

            byte[] read = PromProto.snappy(PromProto.readRequest(0, 1, new Object[]{0, "__name__", "exact_bytes"}));
            HttpResponse<byte[]> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(toStandIns.url() + "/api/v1/prom/read?db=prom"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(read)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(readAnswer);
            assertThat(answer.headers().firstValue("Content-Encoding")).hasValue("snappy");
            List<Recorder.Request> reads = new ArrayList<>();
            for (Recorder r : List.of(x, y)) {
                r.requests.stream().filter(q -> q.path().endsWith("/read")).forEach(reads::add);
            }
            assertThat(reads).as("one backend is asked").singleElement().satisfies(r -> {
                assertThat(r.body()).isEqualTo(read);
                assertThat(r.query()).isEqualTo("db=prom");
                assertThat(r.headers()).containsEntry("Content-Encoding", "snappy");
            });
        }
    }

    @Test
    void aRemoteWriteABackendKeepsRefusingIsADeadLetterByteForByteThatTheReplayScriptSendsAgain() throws Exception {
        try (Recorder x = new Recorder(new byte[0]); Recorder y = new Recorder(new byte[0]);
             RelayProcess toStandIns = RelayProcess.start(Map.of("relay.backends", "x,y", "relay.backend.x.url", x.url(),
                     "relay.backend.y.url", y.url(), "relay.max-delay-interval", "1s"))) {
            y.answers.add(503); // missed: buffered
            y.answers.add(400); // refused on replay: a poison write
            byte[] body = PromProto.snappy(PromProto.writeRequest(List.of(Series.of("poison", Map.of()).sample(T0, 1))));
            assertThat(Http.post(toStandIns.url() + "/api/v1/prom/write?db=prom&u=me&p=secret", body, REMOTE_WRITE).statusCode())
                    .isEqualTo(204);
            java.nio.file.Path dir = toStandIns.home().resolve("data/dead-letter/y");
            await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.isDirectory(dir)
                    && listing(dir).stream().anyMatch(f -> f.endsWith(".prom")));
            java.nio.file.Path letter = listing(dir).stream().filter(f -> f.endsWith(".prom")).map(dir::resolve).findFirst().orElseThrow();
            assertThat(java.nio.file.Files.readAllBytes(letter)).isEqualTo(body);
            String header = java.nio.file.Files.readString(java.nio.file.Path.of(letter + ".txt"));
            assertThat(header).contains("# path: /api/v1/prom/write", "# query: db=prom", "400").doesNotContain("secret");

            Process replay = new ProcessBuilder(RelayProcess.projectDir().resolve("bin/replay-dead-letters").toString(),
                    y.url(), dir.toString()).redirectErrorStream(true).start();
            String out = new String(replay.getInputStream().readAllBytes());
            assertThat(replay.waitFor()).as(out).isZero();
            assertThat(out).contains("replayed 1, failed 0");
            assertThat(y.requests.get(y.requests.size() - 1)).satisfies(r -> {
                assertThat(r.body()).isEqualTo(body);
                assertThat(r.query()).isEqualTo("db=prom");
                assertThat(r.headers()).containsEntry("Content-Encoding", "snappy");
            });
            assertThat(listing(dir)).isEmpty();
        }
    }

    private static List<String> listing(java.nio.file.Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void aBackendThatLacksTheDatabaseGetsItUnderAutoCreateDatabase() throws Exception {
        try (RelayProcess autoCreate = RelayProcess.inFrontOf(a, b, Map.of("relay.auto-create-database", "true"))) {
            HttpResponse<String> written = remoteWrite(autoCreate, "db=promauto",
                    List.of(Series.of("created", Map.of("job", "auto")).sample(T0, 7)));
            assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
            for (Influxd server : List.of(a, b)) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(points(server, "promauto", "created", "job")).containsExactly(List.of(T0, 7.0, "auto")));
            }
        }
    }

    private static BackendConfig backend(String name, Influxd server) {
        return new BackendConfig(name, URI.create(server.url()), null, Duration.ofSeconds(1), 0, 1024, Duration.ofSeconds(1), null, 1024);
    }
}
