package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole topology from bin/cluster (HAProxy, nginx stream, two relays, two influxd), driven only
 * through the balancer, as a user would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static Path dir;
    private static int base;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("cluster-");
        base = freeBase();
        cluster("up");
    }

    @AfterAll
    static void down() throws Exception {
        cluster("down");
    }

    private static void cluster(String... verb) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(RelayProcess.projectDir().resolve("bin/cluster").toString()));
        command.addAll(List.of(verb));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve(verb[0] + ".log").toFile());
        pb.environment().put("CLUSTER_DIR", dir.toString());
        pb.environment().put("CLUSTER_PORT_BASE", Integer.toString(base));
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve(verb[0] + ".log"))).isZero();
    }

    /** A port range whose ports the cluster uses are all free. */
    private static int freeBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int b = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
            if (List.of(b, b + 86, b + 87, b + 96, b + 97, b + 196, b + 197, b + 1086, b + 1087).stream().allMatch(ClusterIT::free)) {
                return b;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String lb() {
        return "http://127.0.0.1:" + base;
    }

    private static long count(String db, String measurement) {
        HttpResponse<String> r = Http.request("GET", lb() + "/query?db=" + db + "&q="
                + URLEncoder.encode("SELECT count(v) FROM " + measurement, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = Pattern.compile(",(\\d+)\\]").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void stopInfluxdB() throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("influxd-b.pid")).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    @Order(1)
    void aWriteAndAQueryGoThroughTheBalancer() {
        assertThat(Http.post(lb() + "/write?db=mydb", "smoke v=1 1000").statusCode()).isEqualTo(204);
        await().untilAsserted(() -> assertThat(count("mydb", "smoke")).isEqualTo(1));
    }

    @Test
    @Order(2)
    void udpThroughNginxReachesBothServers() throws Exception {
        byte[] d = "viaudp v=1 1000\nviaudp v=2 2000\n".getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), base + 1));
        }
        for (int port : new int[] {base + 86, base + 87}) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.request("GET",
                    "http://127.0.0.1:" + port + "/query?db=udp&q=SELECT+count(v)+FROM+viaudp").body()).contains(",2]"));
        }
    }

    @Test
    @Order(3)
    void readsStayOffAServerThatWasDownUntilItHasCaughtUp() throws Exception {
        int acknowledged = 0;
        List<Long> acknowledgedAt = new ArrayList<>();
        long stopAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long restartAt = stopAt + Duration.ofSeconds(20).toNanos(); // the drill: 20 s down
        long end = restartAt + Duration.ofSeconds(8).toNanos();
        boolean stopped = false;
        boolean restarted = false;
        int refused = 0;
        while (System.nanoTime() < end) {
            if (!stopped && System.nanoTime() > stopAt) {
                stopInfluxdB();
                stopped = true;
            }
            if (stopped && !restarted && System.nanoTime() > restartAt) {
                restartInfluxdB();
                restarted = true;
            }
            int i = acknowledged + refused + 1;
            if (Http.post(lb() + "/write?db=mydb", "drill v=" + i + " " + i).statusCode() == 204) {
                acknowledged++;
                acknowledgedAt.add(System.nanoTime());
            } else {
                refused++;
            }
            // Every read through the balancer sees every write acknowledged before the last half second: it
            // never went to a server missing some. (With consistency one the client hears of the first
            // server's success; the other may still be storing the write for a few milliseconds. A server
            // catching up after the outage lacks hundreds.)
            long settled = System.nanoTime() - Duration.ofMillis(500).toNanos();
            long mustSee = acknowledgedAt.stream().filter(t -> t < settled).count();
            assertThat(count("mydb", "drill")).as("after %d acknowledged writes", acknowledged)
                    .isBetween(mustSee, (long) acknowledged);
            Thread.sleep(50);
        }
        assertThat(refused).isZero();
        int expected = acknowledged;
        String countOnB = "http://127.0.0.1:" + (base + 87) + "/query?db=mydb&q=SELECT+count(v)+FROM+drill";
        String countOnA = "http://127.0.0.1:" + (base + 86) + "/query?db=mydb&q=SELECT+count(v)+FROM+drill";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Http.request("GET", countOnB).body())
                .contains("," + expected + "]"));
        double converged = (System.nanoTime() - restartAt) / 1e9;
        assertThat(Http.request("GET", countOnA).body()).contains("," + expected + "]");
        System.out.printf("influxd drill: %d writes acknowledged, %d refused, %d points on each server, "
                + "both equal %.1f s after b was started again; every read through the balancer held every write acknowledged 0.5 s before it%n",
                acknowledged, refused, expected, converged);
    }

    @Test
    @Order(4)
    void writesGoOnThroughTheOtherRelayWhenOneStops() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("relay-a.pid")).trim());
        int acknowledged = 0;
        int refused = 0;
        long longestRefusalMs = 0;
        long refusingSince = 0;
        long stopAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        long end = stopAt + Duration.ofSeconds(6).toNanos();
        boolean stopped = false;
        while (System.nanoTime() < end) {
            if (!stopped && System.nanoTime() > stopAt) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                stopped = true;
            }
            int i = acknowledged + refused + 1;
            if (Http.post(lb() + "/write?db=mydb", "relaydrill v=" + i + " " + i).statusCode() == 204) {
                acknowledged++;
                refusingSince = 0;
            } else {
                refused++;
                long now = System.nanoTime();
                refusingSince = refusingSince == 0 ? now : refusingSince;
                longestRefusalMs = Math.max(longestRefusalMs, (now - refusingSince) / 1_000_000);
            }
            Thread.sleep(20);
        }
        System.out.printf("relay drill: %d writes acknowledged, %d refused, longest refusal %d ms%n",
                acknowledged, refused, longestRefusalMs);
        // no write refused for longer than the balancer's check interval (1 s, fall 2)
        assertThat(longestRefusalMs).isLessThan(2500);
        int expected = acknowledged;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(count("mydb", "relaydrill")).isEqualTo(expected));
    }

    @Test
    @Order(5) // after the relay drill: relay a is down, and comes back with a changed route and config
    void aRelayRestartedWithAChangedRouteAndConfigRejoinsWhileTheOtherServes() throws Exception {
        Path home = dir.resolve("relay-a");
        Path http = home.resolve("routes/http.yaml");
        Files.writeString(http, Files.readString(http).replace("${header.CamelHttpPath} == '/ping'",
                "${header.CamelHttpPath} in '/ping,/relay-ping'"));
        Files.writeString(home.resolve("config/application.properties"), "\nrelay.access-log=true\n",
                java.nio.file.StandardOpenOption.APPEND);
        Thread restart = new Thread(() -> {
            try {
                cluster("restart", "a");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restart.start();
        int acknowledged = 0;
        int refused = 0;
        while (restart.isAlive()) {
            int i = acknowledged + refused + 1;
            if (Http.post(lb() + "/write?db=mydb", "restartdrill v=" + i + " " + i).statusCode() == 204) {
                acknowledged++;
            } else {
                refused++;
            }
            Thread.sleep(20);
        }
        restart.join();
        System.out.printf("restart drill: %d writes acknowledged while relay a restarted, %d refused%n", acknowledged, refused);
        assertThat(refused).isZero();
        int relayA = base + 96;
        assertThat(Http.request("GET", "http://127.0.0.1:" + relayA + "/relay-ping").statusCode()).isEqualTo(204);
        Http.post("http://127.0.0.1:" + relayA + "/write?db=mydb", "restartdrill v=0 0");
        // the access log line is written as the exchange completes, just after the answer left
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Files.readString(dir.resolve("relay-a.log"))).contains("\"POST /write?db=mydb\" 204"));
        int expected = acknowledged + 1;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(count("mydb", "restartdrill")).isEqualTo(expected));
    }

    private static void restartInfluxdB() throws IOException {
        Path conf = dir.resolve("influxd-b/influxd.conf");
        Process p = new ProcessBuilder("influxd", "run", "-config", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("influxd-b.log").toFile()).start();
        Files.writeString(dir.resolve("influxd-b.pid"), Long.toString(p.pid()));
    }
}
