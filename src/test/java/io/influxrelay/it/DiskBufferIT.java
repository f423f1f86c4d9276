package io.influxrelay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retry buffer on disk (relay.buffer.store=disk) between two real influxd: what a relay acknowledged
 * survives a SIGKILL of the relay and reaches the backend that was down; a SIGTERM keeps the queue as a
 * queue; the bounds (size, max-age) drop, count and record; a directory that cannot be used never stops
 * the relay.
 */
class DiskBufferIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Influxd a;
    private static Influxd b;
    private static final List<RelayProcess> relays = new ArrayList<>();
    private static final List<Path> stores = new ArrayList<>();

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
    }

    @org.junit.jupiter.api.AfterEach
    void backendsUp() {
        a.ensureRunning();
        b.ensureRunning();
    }

    @AfterAll
    static void stop() {
        relays.forEach(RelayProcess::close);
        Quietly.close(a, b);
        stores.forEach(TempDirs::delete);
    }

    private static Path store() throws IOException {
        Path store = Files.createTempDirectory("relay-store-");
        stores.add(store);
        return store;
    }

    /** A relay whose disk buffers and ledger live in {@code store}, so the next relay on that store finds them. */
    private static RelayProcess relay(Path store, Map<String, String> more) {
        Map<String, String> props = new LinkedHashMap<>(Map.of(
                "relay.buffer.store", "disk",
                "relay.buffer.dir", store.resolve("buffer").toString(),
                "relay.recovery.ledger", store.resolve("missing-data.json").toString(),
                "relay.recovery.auto", "false",
                "relay.timeout", "3s",
                "relay.max-delay-interval", "1s"));
        props.putAll(more);
        RelayProcess relay = RelayProcess.inFrontOf(a, b, props);
        relays.add(relay);
        return relay;
    }

    private static void createDatabase(String db) {
        a.createDatabase(db);
        b.createDatabase(db);
    }

    /** Writes {@code n} one-point writes to {@code db} (each acknowledged) while b is down, until b's buffer holds them all. */
    private static void queueForB(RelayProcess relay, String db, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(Http.post(relay.url() + "/write?db=" + db, db + ",w=1 v=" + i + "i " + (1_000_000_000L + i)).statusCode()).isEqualTo(204);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer(relay, "b").path("writes").asInt() == n);
    }

    private static long count(Influxd server, String db, String measurement) {
        Matcher m = Pattern.compile("\"values\":\\[\\[[^,]+,(\\d+)]").matcher(server.query(db, "SELECT count(v) FROM " + measurement));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static JsonNode status(RelayProcess relay) throws IOException {
        return JSON.readTree(Http.request("GET", relay.url() + "/status").body());
    }

    private static JsonNode buffer(RelayProcess relay, String backend) throws IOException {
        for (JsonNode node : status(relay).path("backends")) {
            if (node.path("name").asText().equals(backend)) {
                return node.path("buffer");
            }
        }
        throw new AssertionError("no backend " + backend);
    }

    /** Writes batches of unique points to whichever relay is current, counting the points answered 204. */
    private static final class Writer implements AutoCloseable {
        final AtomicReference<String> target = new AtomicReference<>();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Writer(String db, String measurement, String url, int pointsPerBatch) {
            target.set(url);
            thread = new Thread(() -> {
                for (long i = 0; running.get(); i++) {
                    StringBuilder body = new StringBuilder();
                    for (int p = 0; p < pointsPerBatch; p++) {
                        body.append(measurement).append(",w=1 v=").append(i).append("i ")
                                .append(1_000_000_000L + i * pointsPerBatch + p).append('\n');
                    }
                    try {
                        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(target.get() + "/write?db=" + db))
                                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 204) {
                            acknowledged.addAndGet(pointsPerBatch);
                        }
                    } catch (IOException e) {
                        sleep(50); // the relay is down: this batch was never acknowledged
                    } catch (InterruptedException e) {
                        return;
                    }
                    batches.incrementAndGet();
                }
            }, "writer-" + measurement);
            thread.start();
        }

        void awaitBatches(long more) {
            long until = batches.get() + more;
            await().atMost(Duration.ofSeconds(60)).until(() -> batches.get() >= until);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(20_000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyAcknowledgedPointSurvivesAKilledRelayAndReachesTheBackendThatWasDown() throws Exception {
        createDatabase("crash");
        Path store = store();
        RelayProcess first = relay(store, Map.of());
        b.stop();
        try (Writer writer = new Writer("crash", "crash", first.url(), 50)) {
            writer.awaitBatches(200);
            first.kill();
            RelayProcess second = relay(store, Map.of());
            writer.target.set(second.url());
            assertThat(second.log()).contains("kept from before the restart").contains("did not stop cleanly");
            writer.awaitBatches(100);
            writer.close();
            b.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> buffer(second, "b").path("writes").asInt() == 0);
            assertThat(count(b, "crash", "crash")).as("every point acknowledged to the client").isGreaterThanOrEqualTo(writer.acknowledged.get());
            // the same points, but for the one write a took at the instant of the kill: never acknowledged, not queued for b
            assertThat(count(a, "crash", "crash") - count(b, "crash", "crash")).isBetween(0L, 50L);
        }
    }

    @Test
    void aStoppedRelayKeepsItsQueueAsAQueueNotAsDeadLetters() throws Exception {
        createDatabase("term");
        Path store = store();
        RelayProcess first = relay(store, Map.of());
        b.stop();
        queueForB(first, "term", 40);
        first.stop();
        assertThat(first.deadLetters("b")).isEmpty();
        assertThat(first.log()).contains("40 writes").contains("kept in the retry buffer of backend b on disk");

        RelayProcess second = relay(store, Map.of());
        assertThat(buffer(second, "b").path("store").asText()).isEqualTo("disk");
        assertThat(second.log()).contains("40 writes").doesNotContain("did not stop cleanly");
        b.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(b, "term", "term") == 40);
        assertThat(store.resolve("missing-data.json")).as("nothing recorded missing").doesNotExist();
    }

    @Test
    void aQueueFileTornByACrashStillStartsAndLosesOnlyTheTornWrite() throws Exception {
        createDatabase("torn");
        Path store = store();
        RelayProcess first = relay(store, Map.of());
        b.stop();
        queueForB(first, "torn", 20);
        first.kill();
        Path wal; // the queue's write-ahead log, its last record the 20th write: cut in the middle of it
        try (Stream<Path> files = Files.list(store.resolve("buffer/b"))) {
            wal = files.filter(f -> f.toString().endsWith(".log")).max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }

        RelayProcess second = relay(store, Map.of());
        assertThat(second.log()).contains("19 writes").contains("did not stop cleanly");
        b.restart();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(b, "torn", "torn")).isEqualTo(19));
        assertThat(count(a, "torn", "torn")).isEqualTo(20);
    }

    @Test
    void underConsistencyAnyAWriteQueuedWhileEveryBackendIsDownSurvivesAKill() throws Exception {
        createDatabase("anyway");
        Path store = store();
        RelayProcess first = relay(store, Map.of("relay.write.consistency", "any"));
        a.stop();
        b.stop();
        try (Writer writer = new Writer("anyway", "anyway", first.url(), 20)) {
            writer.awaitBatches(100);
            first.kill();
            writer.close();
            assertThat(writer.acknowledged.get()).as("queued counts under any").isGreaterThan(0);
            RelayProcess second = relay(store, Map.of("relay.write.consistency", "any"));
            a.restart();
            b.restart();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(count(a, "anyway", "anyway")).isGreaterThanOrEqualTo(writer.acknowledged.get());
                assertThat(count(b, "anyway", "anyway")).isGreaterThanOrEqualTo(writer.acknowledged.get());
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> buffer(second, "a").path("writes").asInt() == 0
                    && buffer(second, "b").path("writes").asInt() == 0);
        }
    }

    @Test
    void aSmallDiskBufferFillsDropsAndRecordsAndItsFilesStayWithinTheBound() throws Exception {
        createDatabase("bound");
        Path store = store();
        RelayProcess relay = relay(store, Map.of("relay.buffer.disk-size-mb", "1"));
        b.stop();
        String line = "bound,w=1 v=%di,pad=\"" + "x".repeat(1900) + "\" %d\n";
        for (int i = 0; i < 1500; i++) { // about 3 MB for a 1 MB buffer
            assertThat(Http.post(relay.url() + "/write?db=bound", String.format(line, i, 1_000_000_000L + i)).statusCode()).isEqualTo(204);
        }
        JsonNode buffer = buffer(relay, "b");
        assertThat(buffer.path("droppedWrites").asLong()).isGreaterThan(800);
        assertThat(buffer.path("bytes").asLong()).isLessThanOrEqualTo(1 << 20);
        // the stated overhead: two memtables' worth of write-ahead log (1 MB each at this size) and RocksDB's own files
        assertThat(directorySize(store.resolve("buffer/b"))).isLessThanOrEqualTo((1 << 20) + 2 * (1 << 20) + (256 << 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(store.resolve("missing-data.json")).contains("bound"));
    }

    @Test
    void writesOlderThanMaxAgeAreDroppedCountedAndRecorded() throws Exception {
        createDatabase("aged");
        Path store = store();
        RelayProcess relay = relay(store, Map.of("relay.buffer.max-age", "2s"));
        b.stop();
        for (int i = 0; i < 10; i++) { // two query strings in turn: no batch merges them, one write is in flight
            String query = i % 2 == 0 ? "db=aged" : "db=aged&precision=ns";
            assertThat(Http.post(relay.url() + "/write?" + query, "aged,w=1 v=" + i + "i " + (1_000_000_000L + i)).statusCode()).isEqualTo(204);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> buffer(relay, "b").path("expiredWrites").asLong() >= 9);
        assertThat(relay.log()).contains("older than its max-age");
        assertThat(Files.readString(store.resolve("missing-data.json"))).contains("aged");
    }

    @Test
    void aBufferDirectoryThatCannotBeUsedNeverStopsTheRelayAndHealthSaysWhy() throws Exception {
        createDatabase("nodir");
        Path store = store();
        Files.createDirectories(store.resolve("buffer"));
        Files.writeString(store.resolve("buffer/b"), "a file where b's buffer directory should be");
        RelayProcess relay = relay(store, Map.of());
        JsonNode health = JSON.readTree(Http.request("GET", relay.url() + "/health").body());
        assertThat(health.path("bufferProblems").path("b").asText()).contains("cannot open");
        b.stop();
        assertThat(Http.post(relay.url() + "/write?db=nodir", "nodir,w=1 v=1i 1000000000").statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer(relay, "b").path("droppedWrites").asLong() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(store.resolve("missing-data.json")).contains("nodir"));
        assertThat(relay.log()).contains("cannot take writes");
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
