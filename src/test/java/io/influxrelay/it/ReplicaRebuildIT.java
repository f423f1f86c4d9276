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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica replaced by an empty server is rebuilt by the operator with bin/relay-admin: check shows
 * what differs, resync copies databases, retention policies and points while clients keep writing
 * through the relay, and check then finds no difference. Nothing a client was told was written is lost.
 */
class ReplicaRebuildIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Midnight UTC 30 days ago: inside the year policy's 52 weeks. */
    private static final java.time.Instant DAY0 = java.time.Instant.now().minus(java.time.Duration.ofDays(30))
            .truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    private static final long T0 = DAY0.getEpochSecond() * 1_000_000_000L;
    private static final int POINTS = 100_000;

    private static Influxd a;
    private static Influxd empty;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        empty = Influxd.start();
        a.createDatabase("metrics");
        assertThat(a.query("metrics", "CREATE RETENTION POLICY year ON metrics DURATION 52w REPLICATION 1 SHARD DURATION 1w"))
                .doesNotContain("error");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < POINTS; i++) {
            body.append("load,host=h").append(i % 50).append(" v=").append(i * 0.25).append(",n=").append(i).append("i,s=\"p ")
                    .append(i).append("\" ").append(T0 + i * 1_000_000_000L).append('\n');
            if (i % 10_000 == 9_999) {
                assertThat(a.write("metrics", body.toString())).isEqualTo(204);
                body.setLength(0);
            }
        }
        assertThat(a.writeResponse("db=metrics&rp=year", "yearly,k=v x=1 " + T0 + "\n").statusCode()).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        Quietly.close(a, empty);
    }

    @Test
    void anEmptyReplicaIsRebuiltWhileClientsWriteAndCheckThenAgrees() throws Exception {
        try (RelayProcess relay = RelayProcess.inFrontOf(a, empty, Map.of(
                "relay.resync.max-points-per-second", "40000", "relay.recovery.auto", "false"))) {
            String start = DAY0.toString();
            String end = "now";
            // before: the new server lacks everything
            RelayAdminCommand.Result before = admin(relay, "check", "--from", "a", "--to", "b", "--db", "metrics", "--start", start, "--end", end, "--window", "24h");
            assertThat(before.exit()).as(before.out()).isEqualTo(1);
            assertThat(before.out()).contains("load");

            // clients keep writing through the relay during the copy: every acknowledged point must be on both
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong acknowledged = new AtomicLong();
            List<Long> stamps = new ArrayList<>();
            Map<Integer, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
            Thread clients = new Thread(() -> {
                long t = T0 + POINTS * 1_000_000_000L;
                for (int n = 0; writing.get(); n++, t += 1_000_000L) {
                    int status = Http.post(relay.url() + "/write?db=metrics", "live,c=1 v=" + n + "i " + t).statusCode();
                    if (status == 204) {
                        acknowledged.incrementAndGet();
                        synchronized (stamps) {
                            stamps.add(t);
                        }
                    } else {
                        refused.merge(status, 1, Integer::sum);
                    }
                }
            });
            clients.start();
            RelayAdminCommand.Result resync;
            try {
                resync = admin(relay, "resync", "--from", "a", "--to", "b", "--db", "metrics", "--start", start, "--end", end);
            } finally {
                writing.set(false);
                clients.join();
            }
            assertThat(resync.exit()).as(resync.out() + resync.err()).isZero();
            assertThat(resync.out()).contains("points copied");
            assertThat(acknowledged.get()).isPositive();

            RelayAdminCommand.Result after = admin(relay, "check", "--json", "--from", "a", "--to", "b", "--db", "metrics", "--start", start,
                    "--end", end, "--window", "24h");
            assertThat(after.exit()).as(after.out() + after.err()).isZero();
            JsonNode job = JSON.readTree(after.out());
            assertThat(job.path("result").path("agrees").asBoolean()).isTrue();
            assertThat(job.path("result").path("fromPoints").asLong()).isGreaterThanOrEqualTo(POINTS + 1 + acknowledged.get());

            assertThat(JSON.readTree(empty.query("metrics", "SHOW RETENTION POLICIES")).findPath("values"))
                    .isEqualTo(JSON.readTree(a.query("metrics", "SHOW RETENTION POLICIES")).findPath("values"));
            for (String m : List.of("load", "yearly", "live")) {
                String select = "SELECT * FROM \"metrics\"./.*/.\"" + m + "\" GROUP BY *";
                assertThat(empty.query("metrics", select)).as(m).isEqualTo(a.query("metrics", select));
            }
            // every acknowledged point is on both (a write the client was refused may be stored too: it reached one)
            java.util.Set<Long> stored = new java.util.HashSet<>();
            JSON.readTree(empty.query("metrics", "SELECT v FROM live")).findPath("values").forEach(row -> stored.add(row.get(0).asLong()));
            assertThat(stored).as("refused: " + refused).containsAll(stamps);
            System.out.println("writes during the resync: " + acknowledged.get() + " acknowledged, refused by status: " + refused);
        }
    }

    private static RelayAdminCommand.Result admin(RelayProcess relay, String... args) {
        return RelayAdminCommand.run(relay, args);
    }
}
