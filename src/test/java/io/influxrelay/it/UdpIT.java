package io.influxrelay.it;

import io.influxrelay.testing.FreeUdpPort;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Line protocol over UDP through the relay to real influxd: over HTTP (batched, buffered) and as UDP. */
class UdpIT {
    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;
    private static int udpPort;
    private static final List<RelayProcess> others = new ArrayList<>();

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("udp");
        b.createDatabase("udp");
        udpPort = FreeUdpPort.next();
        relay = RelayProcess.inFrontOf(a, b, Map.of(
                "relay.udp.host", "127.0.0.1",
                "relay.udp.port", Integer.toString(udpPort),
                "relay.max-delay-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        others.forEach(RelayProcess::close);
        Quietly.close(relay, a, b);
    }

    private static void send(int port, String datagram) throws IOException {
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    private static String count(Influxd influxd, String db, String measurement) {
        return influxd.query(db, "SELECT count(v) FROM " + measurement);
    }

    @Test
    void datagramsUpTo64KiBReachBothBackendsWithTheSameStamps() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 65_000; i++) {
            // no timestamps: every line of the datagram gets the same stamp, so each needs its own series
            big.append("big,host=h").append(i % 10).append(",n=").append(i).append(" v=").append(i).append("i\n");
        }
        // whole lines only, just under the 65,507 bytes a UDP datagram can carry
        String datagram = big.substring(0, big.lastIndexOf("\n", 65_000) + 1);
        long lines = datagram.lines().count();
        send(udpPort, datagram);
        for (int d = 0; d < 20; d++) {
            StringBuilder small = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                small.append("small,d=").append(d).append(" v=").append(i).append("i ").append(d * 1000 + i).append('\n');
            }
            send(udpPort, small.toString());
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(count(a, "udp", "big")).contains("," + lines + "]");
            assertThat(count(b, "udp", "big")).contains("," + lines + "]");
            assertThat(count(a, "udp", "small")).contains(",1000]");
            assertThat(count(b, "udp", "small")).contains(",1000]");
        });
        // the relay stamped the points: both backends hold the same times
        assertThat(b.query("udp", "SELECT * FROM big")).isEqualTo(a.query("udp", "SELECT * FROM big"));
        Matcher t = Pattern.compile("\\[(\\d+),").matcher(a.query("udp", "SELECT * FROM big LIMIT 1"));
        assertThat(t.find()).isTrue();
        assertThat(Long.parseLong(t.group(1)) / 1_000_000).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void aBadLineDoesNotLoseTheGoodOnesAroundIt() throws Exception {
        send(udpPort, "mixed v=1 1000\nthis is not line protocol\nmixed v=2 2000\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(a.query("udp", "SELECT * FROM mixed")).contains("[1000,1]").contains("[2000,2]");
            assertThat(b.query("udp", "SELECT * FROM mixed")).contains("[1000,1]").contains("[2000,2]");
        });
        assertThat(io.influxrelay.testing.Http.request("GET", relay.url() + "/metrics").body())
                .contains("relay_udp_bad_lines_total 1.0");
    }

    @Test
    void aBadLineCannotForgeALogLineNorColourTheTerminal() throws Exception {
        // a relay of its own: the bad-line meter of the shared one is asserted exactly, and the log is throttled
        int port = FreeUdpPort.next();
        RelayProcess own = RelayProcess.inFrontOf(a, b, Map.of(
                "relay.udp.host", "127.0.0.1",
                "relay.udp.port", Integer.toString(port)));
        others.add(own);
        // CR LF ends a line (the scanner drops the CR): the bad lines' errors are then joined by newlines;
        // a lone CR stays in the line
        send(port, "forge v=1 1000\nbad\r\n2026-11-30T12:00:00.000Z ERROR [main] i.i.RelayMain - forged\n"
                + "cr\r2026-11-30T12:00:01.000Z ERROR [main] i.i.RelayMain - forged again v=\n"
                + "\u001b[31mred \u001b]0;title\u0007 v=\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(own.log()).contains("dropped 4 invalid lines of a UDP datagram"));
        String log = own.log();
        assertThat(log).doesNotContain("\r").doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(log.lines().filter(l -> l.contains("forged")).toList())
                .singleElement().satisfies(l -> assertThat(l).contains("dropped 4 invalid lines")
                        .contains("'bad': missing fields\\nunable to parse '2026").contains("cr\\r2026"));
        assertThat(log).contains("\\u001b[31mred");
    }

    @Test
    void linesSentWhileABackendIsDownReachItFromTheBuffer() throws Exception {
        b.stop();
        for (int d = 0; d < 10; d++) {
            send(udpPort, "outage,d=" + d + " v=" + d + "i " + (d + 1) * 1000 + "\n");
            Thread.sleep(50);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count(a, "udp", "outage")).contains(",10]"));
        b.restart();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(b, "udp", "outage")).contains(",10]"));
        assertThat(b.query("udp", "SELECT * FROM outage")).isEqualTo(a.query("udp", "SELECT * FROM outage"));
    }

    @Test
    void aUdpBackendGetsDatagramsSplitAtLinesToFitItsMtu() throws Exception {
        try (Influxd u = Influxd.startWithUdpListener("viaudp")) {
            int port = FreeUdpPort.next();
            RelayProcess udpOut = RelayProcess.start(Map.of(
                    "relay.backends", "a,u",
                    "relay.backend.a.url", a.url(),
                    "relay.backend.u.url", u.url(),
                    "relay.backend.u.udp", "127.0.0.1:" + u.udpPort(),
                    "relay.backend.u.udp-mtu", "256",
                    "relay.udp.host", "127.0.0.1",
                    "relay.udp.port", Integer.toString(port)));
            others.add(udpOut);
            StringBuilder datagram = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                datagram.append("split,i=").append(i).append(" v=").append(i).append("i ").append(1000 + i).append('\n');
            }
            // one line longer than the MTU: sent alone, whole
            datagram.append("split,i=long s=\"").append("x".repeat(600)).append("\",v=-1i 5000\n");
            send(port, datagram.toString());
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(count(u, "viaudp", "split")).contains(",61]");
                assertThat(u.query("viaudp", "SELECT s FROM split WHERE i='long'")).contains("x".repeat(600));
                assertThat(count(a, "udp", "split")).contains(",61]");
            });
        }
    }
}
