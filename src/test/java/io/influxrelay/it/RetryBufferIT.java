package io.influxrelay.it;

import io.influxrelay.config.ConfigSource;
import io.influxrelay.config.MemoryFlags;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.testing.FreePorts;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Jmx;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The retry buffer between two real influxd: outages, poison writes, consistency=any, a full buffer. */
class RetryBufferIT {
    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;
    private static final List<RelayProcess> others = new ArrayList<>();

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        relay = RelayProcess.inFrontOf(a, b, Map.of(
                "relay.timeout", "3s",
                "relay.write.client-consistency", "honor",
                "relay.max-delay-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        others.forEach(RelayProcess::close);
        Quietly.close(relay, a, b);
    }

    private static void createDatabase(String db) {
        a.createDatabase(db);
        b.createDatabase(db);
    }

    private static HttpResponse<String> write(String query, String body) {
        return Http.post(relay.url() + "/write?" + query, body);
    }

    @Test
    void aBackendThatWasDownEndsWithExactlyTheSamePoints() throws Exception {
        createDatabase("outage");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        List<Integer> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            for (int i = 1; running.get(); i++) {
                StringBuilder body = new StringBuilder();
                for (int p = 0; p < 50; p++) {
                    body.append("steady,writer=w v=").append(i).append("i,p=").append(p).append("i ")
                            .append(i * 1000L + p).append('\n');
                }
                // the same point again and again: the last write must win on both backends
                body.append("last,k=1 v=").append(i).append("i 5\n");
                HttpResponse<String> r = write("db=outage", body.toString());
                if (r.statusCode() != 204) {
                    refused.add(r.statusCode());
                }
                sent.set(i);
            }
        });
        writer.start();
        Thread.sleep(1000);
        b.stop();
        Thread.sleep(3000);
        b.restart();
        Thread.sleep(1000);
        running.set(false);
        writer.join();

        assertThat(refused).as("writes refused during the outage").isEmpty();
        String count = "SELECT count(v) FROM steady";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(b.query("outage", count)).isEqualTo(a.query("outage", count)));
        assertThat(a.query("outage", count)).contains("," + sent.get() * 50 + "]");
        assertThat(b.query("outage", "SELECT * FROM steady")).isEqualTo(a.query("outage", "SELECT * FROM steady"));
        String last = "SELECT v FROM last";
        assertThat(a.query("outage", last)).contains("[5," + sent.get() + "]");
        assertThat(b.query("outage", last)).isEqualTo(a.query("outage", last));
    }

    @Test
    void aPoisonWriteIsDeadLetteredWhileTheWritesAroundItArrive() {
        createDatabase("poison");
        // a schema that differs between the backends: on b, "conflict" has an integer field v
        assertThat(b.write("poison", "conflict v=1i 1")).isEqualTo(204);
        b.stop();
        assertThat(write("db=poison", "good v=1 1000").statusCode()).isEqualTo(204);
        assertThat(write("db=poison", "conflict v=1.5 2000").statusCode()).isEqualTo(204);
        assertThat(write("db=poison", "good v=2 3000").statusCode()).isEqualTo(204);
        b.restart();
        // replayed as one batch, refused as a partial write, split: the good writes land, the bad one is set aside
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(b.query("poison", "SELECT * FROM good")).contains("[1000,1]").contains("[3000,2]"));
        await().untilAsserted(() -> assertThat(relay.deadLetters("b")).anySatisfy(f ->
                assertThat(f).contains("# query: db=poison").contains("conflict v=1.5 2000")));

        // InfluxDB answers 500 for an unknown retention policy (influxdb-relay#71): not retried forever
        a.query("poison", "CREATE RETENTION POLICY only_a ON poison DURATION 1d REPLICATION 1");
        long now = System.currentTimeMillis() * 1_000_000;
        assertThat(write("db=poison&rp=only_a&precision=n", "rp v=1 " + now).statusCode()).isEqualTo(204);
        assertThat(write("db=poison", "after v=1 4000").statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(relay.deadLetters("b")).anySatisfy(f ->
                    assertThat(f).contains("# query: db=poison&rp=only_a").contains("retention policy not found"));
            assertThat(b.query("poison", "SELECT * FROM after")).contains("[4000,1]");
        });
        assertThat(relay.log()).contains("backend b refused a buffered write");
    }

    @Test
    void consistencyAnyTakesWritesThroughATotalOutage() {
        createDatabase("any");
        a.stop();
        b.stop();
        try {
            assertThat(write("db=any&consistency=any", "queued v=1 1000").statusCode()).isEqualTo(204);
            assertThat(write("db=any&consistency=any", "queued v=2 2000").statusCode()).isEqualTo(204);
            long t = System.nanoTime();
            HttpResponse<String> one = write("db=any&consistency=one", "refused v=1 1000");
            assertThat(one.statusCode()).isEqualTo(503);
            assertThat((System.nanoTime() - t) / 1_000_000).as("answered within the timeout").isLessThan(5000);
        } finally {
            a.restart();
            b.restart();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(a.query("any", "SELECT * FROM queued")).contains("[1000,1]").contains("[2000,2]");
            assertThat(b.query("any", "SELECT * FROM queued")).contains("[1000,1]").contains("[2000,2]");
        });
        // the write whose client heard 503 was kept nowhere: a client retry cannot double it
        assertThat(a.query("any", "SELECT * FROM refused")).doesNotContain("series");
        assertThat(b.query("any", "SELECT * FROM refused")).doesNotContain("series");
    }

    @Test
    void aFullBufferDropsForItsBackendOnlyAndCountsWhatItDropped() {
        a.createDatabase("full");
        Jmx jmx = Jmx.onFreePort();
        Map<String, String> p = new HashMap<>(Map.of(
                "relay.backends", "up,down",
                "relay.backend.up.url", a.url(),
                "relay.backend.down.url", "http://127.0.0.1:" + FreePorts.next(),
                "relay.backend.down.buffer-size-mb", "1"));
        RelayProcess small = RelayProcess.start(p, jmx.jvmArgs());
        others.add(small);
        String line = "full,host=server01 v=1.5,s=\"" + "x".repeat(100) + "\" ";
        int writes = 200;
        for (int i = 0; i < writes; i++) {
            StringBuilder body = new StringBuilder();
            for (int j = 0; j < 80; j++) {
                body.append(line).append(i * 100L + j).append('\n');
            }
            assertThat(Http.post(small.url() + "/write?db=full", body.toString()).statusCode()).isEqualTo(204);
        }
        assertThat(a.query("full", "SELECT count(v) FROM full")).contains("," + writes * 80 + "]");
        long dropped = (Long) jmx.attribute("io.influxrelay:type=RetryBuffer,backend=down", "DroppedWrites");
        long buffered = ((Integer) jmx.attribute("io.influxrelay:type=RetryBuffer,backend=down", "BufferedWrites"));
        long bytes = (Long) jmx.attribute("io.influxrelay:type=RetryBuffer,backend=down", "BufferedBytes");
        assertThat(dropped).isPositive();
        assertThat(buffered + dropped).isEqualTo(writes);
        assertThat(bytes).isLessThanOrEqualTo(1 << 20);
        assertThat(small.log()).contains("retry buffer of backend down is full");
        assertThat(Http.request("GET", small.url() + "/metrics").body())
                .contains("relay_buffer_dropped_writes_total{backend=\"down\"} " + dropped + ".0");
        // one line per 10 s at most, however many writes were dropped
        assertThat(small.log().lines().filter(l -> l.contains("is full")).count()).isLessThan(5);
    }

    @Test
    void fullBuffersKeepTheProcessWithinItsMemoryBound() throws Exception {
        int perBackendMb = 32;
        Map<String, String> p = Map.of(
                "relay.backends", "d1,d2",
                "relay.backend.d1.url", "http://127.0.0.1:" + FreePorts.next(),
                "relay.backend.d2.url", "http://127.0.0.1:" + FreePorts.next(),
                "relay.buffer-size-mb", Integer.toString(perBackendMb),
                "relay.write.consistency", "any");
        // the heap bin/relay gives this configuration
        String flags = MemoryFlags.jvmFlags(RelayConfig.from(ConfigSource.of(p)));
        RelayProcess full = RelayProcess.start(p, List.of(flags.split(" ")));
        others.add(full);
        for (int i = 0; i < 300; i++) { // warm: JIT, pools, netty buffers
            Http.post(full.url() + "/write", "warm v=1 1");
        }
        Thread.sleep(1000);
        long baseline = full.residentBytes();

        String line = "m,host=server01,region=us-west f1=1.5,f2=42i,f3=\"some string value\" 1700000000000000000\n";
        String body = line.repeat(65536 / line.length());
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int i = 0; i < 1200; i++) {
            statuses.merge(Http.post(full.url() + "/write?db=x", body).statusCode(), 1, Integer::sum);
        }
        Thread.sleep(1000);
        long resident = full.residentBytes();
        long bound = baseline + (long) (1.3 * 2 * perBackendMb * (1 << 20));
        System.out.printf("memory bound (%s): baseline %d MB, full buffers %d MB, bound %d MB, answers %s%n",
                flags, baseline >> 20, resident >> 20, bound >> 20, statuses);
        assertThat(statuses.get(204)).as("writes queued until the buffers were full").isGreaterThan(400);
        assertThat(statuses.get(503)).as("then refused: queued nowhere").isPositive();
        assertThat(resident).isLessThan(bound);
        assertThat(Http.request("GET", full.url() + "/ping").statusCode()).isEqualTo(204);
    }
}
