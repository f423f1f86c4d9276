package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RawHttp;
import io.influxrelay.testing.RawHttp.Response;
import io.influxrelay.testing.RelayProcess;
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
 * The client listener against what clients really send, over raw sockets where a client library
 * would hide the bytes: chunked bodies, pipelined requests, malformed requests and escapes, oversized
 * lines, headers and bodies, aborted uploads, slow and idle connections. Every request gets an
 * InfluxDB-shaped answer, in order, and the relay answers /ping afterwards.
 */
class ListenerIT {
    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("db");
        b.createDatabase("db");
        Map<String, String> properties = Map.of(
                "relay.http.max-body-mb", "1",
                "relay.http.read-timeout", "2s",
                "relay.http.idle-timeout", "3s");
        // run as bin/relay runs it: its heap flags give memory back after a burst
        relay = RelayProcess.inFrontOf(a, b, properties, RelayProcess.launcherFlags(properties));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static String post(String target, String body, String... headers) {
        return "POST " + target + " HTTP/1.1\r\nHost: relay\r\n" + String.join("", headers)
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String chunked(String target, String... chunks) {
        StringBuilder s = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String c : chunks) {
            s.append(Integer.toHexString(c.length())).append("\r\n").append(c).append("\r\n");
        }
        return s.append("0\r\n\r\n").toString();
    }

    private static long count(Influxd server, String measurement) {
        String json = server.query("db", "SELECT count(v) FROM " + measurement);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"values\":\\[\\[[^,]+,(\\d+)\\]\\]").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void assertInfluxError(Response r, int status, String message) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Influxdb-Version")).isNotBlank();
        assertThat(r.body()).contains("{\"error\":").contains(message);
        assertThat(r.header("X-InfluxDB-Error")).contains(message);
    }

    private static void assertPingAnswers() {
        List<Response> ping = RawHttp.exchange(relay.port(), "GET /ping HTTP/1.1\r\nHost: relay\r\n\r\n", 1);
        assertThat(ping.get(0).status()).isEqualTo(204);
    }

    @Test
    void chunkedWritesAreStoredAndNeverWedgeTheListener() {
        List<RawHttp> open = new ArrayList<>();
        try {
            // more chunked writes at once than the listener has event-loop threads (they used to park one each)
            for (int i = 0; i < 8; i++) {
                open.add(RawHttp.connect(relay.port()).send(chunked("/write?db=db", "chunked,n=" + i + " v=1", "i 100\n")));
            }
            for (RawHttp c : open) {
                assertThat(c.read().status()).isEqualTo(204);
            }
        } finally {
            open.forEach(RawHttp::close);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(count(a, "chunked")).isEqualTo(8);
            assertThat(count(b, "chunked")).isEqualTo(8);
        });
        assertPingAnswers();
    }

    @Test
    void malformedChunkingGetsA400AndTheConnectionIsClosed() {
        try (RawHttp c = RawHttp.connect(relay.port())) {
            Response r = c.send("POST /write?db=db HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nbadchunk v=1\r\n0\r\n\r\n").read();
            assertInfluxError(r, 400, "chunk size");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(count(a, "badchunk")).isZero();
        assertPingAnswers();
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() {
        String big = "big v=1\n".repeat(200_000); // 1.6 MB, over max-body-mb=1
        try (RawHttp c = RawHttp.connect(relay.port())) {
            assertInfluxError(c.send(chunked("/write?db=db", big)).read(), 413, "request body too large");
        }
        assertPingAnswers();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        List<Response> answers = RawHttp.exchange(relay.port(),
                post("/write?db=db", "piped,n=1 v=1")
                        + post("/write?db=db", "piped,n=2 v=1")
                        + post("/write?db=db", "piped bad")
                        + post("/write?db=db", "piped,n=3 v=1")
                        + "GET /ping?verbose=true HTTP/1.1\r\nHost: relay\r\n\r\n", 5);
        assertThat(answers).extracting(Response::status).containsExactly(204, 204, 400, 204, 200);
        assertThat(answers.get(2).body()).contains("unable to parse 'piped bad'");
        assertThat(answers.get(4).body()).contains("\"version\"");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count(b, "piped")).isEqualTo(3));
        assertPingAnswers();
    }

    @Test
    void aContentLengthShorterThanTheBodyAnswersTheWriteThenTheGarbage() {
        try (RawHttp c = RawHttp.connect(relay.port())) {
            List<Response> answers = c.send("POST /write?db=db HTTP/1.1\r\nHost: relay\r\nContent-Length: 11\r\n\r\n"
                    + "short v=1 1trailing bytes\r\n\r\n").read(2);
            assertThat(answers.get(0).status()).isEqualTo(204);
            assertInfluxError(answers.get(1), 400, "malformed HTTP request");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count(a, "short")).isEqualTo(1));
        assertPingAnswers();
    }

    @Test
    void malformedEscapesAreAnsweredAsInfluxDbDoes() {
        // Go (so InfluxDB) drops a query pair it cannot decode, and refuses a path it cannot
        List<Response> answers = RawHttp.exchange(relay.port(),
                post("/write?db=%zz", "esc v=1")
                        + post("/write?db=db&p=50%off", "esc v=1")
                        + "GET /ping?x=%zz HTTP/1.1\r\nHost: relay\r\n\r\n"
                        + post("/write?db=db&rp=%22autogen%22x", "esc v=2")
                        + post("/wr%zzite?db=db", "esc v=3"), 5);
        assertInfluxError(answers.get(0), 400, "db");
        assertThat(answers.get(1).status()).isEqualTo(204);
        assertThat(answers.get(2).status()).isEqualTo(204);
        // a quote sent raw in the query (Go takes it, java.net.URI does not): passed on, InfluxDB judges it
        assertThat(answers.get(3).status()).isEqualTo(500);
        assertThat(answers.get(3).body()).contains("retention policy not found");
        assertInfluxError(answers.get(4), 400, "invalid URL escape");
        assertThat(answers.get(4).body()).isEqualTo("{\"error\":\"invalid URL escape \\\"%zz\\\"\"}\n");
        assertPingAnswers();
    }

    @Test
    void bodiesSentAsFormsAreStillLineProtocol() {
        String form = "Content-Type: application/x-www-form-urlencoded\r\n";
        List<Response> answers = RawHttp.exchange(relay.port(),
                post("/write?db=db", "bad line", form)
                        + post("/write?db=db", "not gzip", form, "Content-Encoding: gzip\r\n")
                        + post("/write?db=db", "form v=1", form), 3);
        assertInfluxError(answers.get(0), 400, "unable to parse 'bad line'");
        assertInfluxError(answers.get(1), 400, "gzip");
        assertThat(answers.get(2).status()).isEqualTo(204);
        assertPingAnswers();
    }

    @Test
    void requestLinesAndHeadersAsLargeAsInfluxDbTakesPass_largerOnesGetShapedErrors() {
        String longUrl = "GET /ping?x=" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: relay\r\n\r\n";
        String bigHeader = "GET /ping HTTP/1.1\r\nHost: relay\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n";
        assertThat(RawHttp.exchange(relay.port(), longUrl + bigHeader, 2)).extracting(Response::status).containsExactly(204, 204);

        assertInfluxError(RawHttp.exchange(relay.port(),
                "GET /ping?x=" + "a".repeat(2 << 20) + " HTTP/1.1\r\nHost: relay\r\n\r\n", 1).get(0), 414, "too long");
        assertInfluxError(RawHttp.exchange(relay.port(),
                "GET /ping HTTP/1.1\r\nHost: relay\r\nX-Big: " + "a".repeat(2 << 20) + "\r\n\r\n", 1).get(0), 431, "too large");
        assertInfluxError(RawHttp.exchange(relay.port(),
                "POST /write?db=db HTTP/1.1\r\nHost: relay\r\nContent-Length: abc\r\n\r\nx v=1", 1).get(0), 400, "Content-Length");
        assertInfluxError(RawHttp.exchange(relay.port(),
                "POST /write?db=db HTTP/1.1\r\nHost: relay\r\nContent-Length: 5000000\r\n\r\nx v=1", 1).get(0),
                413, "request body too large");
        assertInfluxError(RawHttp.exchange(relay.port(),
                "POST /write?db=db HTTP/1.1\r\nHost: relay\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n", 1).get(0),
                413, "request body too large");
        assertPingAnswers();
    }

    @Test
    void manyBadLinesKeepTheErrorHeaderShortAndTheWholeTextInTheBody() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            body.append("bad").append(i).append(" line\n");
        }
        HttpResponse<String> r = Http.post(relay.url() + "/write?db=db", body.toString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("X-InfluxDB-Error")).hasValueSatisfying(h -> assertThat(h).hasSizeBetween(100, 1024));
        assertThat(r.body()).contains("'bad0 line'").contains("'bad19999 line'");
    }

    @Test
    void abortedUploadsAreOneThrottledLineEachTenSecondsNotStackTraces() throws Exception {
        int before = relay.log().split("\n").length;
        double counted = Prometheus.sample(Prometheus.scrape(relay), "relay_http_bad_requests_total", "reason=\"broken-off\"");
        for (int i = 0; i < 2_000; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", relay.port())) {
                s.getOutputStream().write(("POST /write?db=db HTTP/1.1\r\nHost: relay\r\nContent-Length: 100000\r\n\r\n"
                        + "aborted v=1\n".repeat(100)).getBytes());
                s.setSoLinger(true, 0); // reset, as a client killed mid-upload
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Prometheus.sample(Prometheus.scrape(relay),
                "relay_http_bad_requests_total", "reason=\"broken-off\"") - counted).isGreaterThanOrEqualTo(1_000));
        String[] lines = relay.log().split("\n");
        List<String> added = List.of(lines).subList(before, lines.length);
        assertThat(added).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception:") && !l.contains("WARN"));
        assertThat(added.stream().filter(l -> l.contains("WARN"))).hasSizeLessThanOrEqualTo(5);
        assertPingAnswers();
    }

    @Test
    void slowAndIdleConnectionsAreClosed() {
        String scrape = Prometheus.scrape(relay);
        double slowBefore = Prometheus.sample(scrape, "relay_http_connections_closed_total", "reason=\"read-timeout\"");
        double idleBefore = Prometheus.sample(scrape, "relay_http_connections_closed_total", "reason=\"idle-timeout\"");
        try (RawHttp slow = RawHttp.connect(relay.port()); RawHttp idle = RawHttp.connect(relay.port())) {
            // a slowloris: the headers one byte at a time, never finished within read-timeout (2 s)
            String head = "POST /write?db=db HTTP/1.1\r\nHost: relay\r\nX-Slow: ";
            slow.send(head);
            assertThat(idle.send("GET /ping HTTP/1.1\r\nHost: relay\r\n\r\n").read().status()).isEqualTo(204);
            long started = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - started < 8_000_000_000L) {
                try {
                    slow.send("a");
                    closed = slow.closedWithin(Duration.ofMillis(400));
                } catch (RuntimeException e) {
                    closed = true; // the write itself found the connection closed
                }
            }
            assertThat(closed).as("slow request closed").isTrue();
            // no request on a keep-alive connection for idle-timeout (3 s)
            assertThat(idle.closedWithin(Duration.ofSeconds(8))).as("idle connection closed").isTrue();
        }
        scrape = Prometheus.scrape(relay);
        assertThat(Prometheus.sample(scrape, "relay_http_connections_closed_total", "reason=\"read-timeout\"")).isGreaterThan(slowBefore);
        assertThat(Prometheus.sample(scrape, "relay_http_connections_closed_total", "reason=\"idle-timeout\"")).isGreaterThan(idleBefore);
        assertPingAnswers();
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAtOnce() throws InterruptedException {
        try (RelayProcess limited = RelayProcess.inFrontOf(a, b,
                Map.of("relay.http.max-connections", "4", "relay.http.idle-timeout", "1s"))) {
            // the start-up check's kept-alive connection goes idle and is closed: then only the scrape's is open
            await().atMost(Duration.ofSeconds(10)).until(() -> Prometheus.sample(RawHttp.exchange(limited.port(),
                    "GET /metrics HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n", 1).get(0).body(),
                    "relay_http_connections", "") == 1);
            Thread.sleep(300); // the scrape's own connection closing
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    RawHttp c = RawHttp.connect(limited.port());
                    assertThat(c.send("GET /ping HTTP/1.1\r\nHost: relay\r\n\r\n").read().status()).isEqualTo(204);
                    open.add(c);
                }
                try (RawHttp fifth = RawHttp.connect(limited.port())) {
                    assertThat(fifth.closedWithin(Duration.ofSeconds(5))).isTrue();
                }
                open.remove(0).close();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        Http.request("GET", limited.url() + "/ping").statusCode()).isEqualTo(204));
            } finally {
                open.forEach(RawHttp::close);
            }
            assertThat(Prometheus.sample(Prometheus.scrape(limited), "relay_http_connections_closed_total",
                    "reason=\"max-connections\"")).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * A few thousand malformed requests of every kind above, 16 at a time: each complete one gets an
     * HTTP answer, and the relay answers /ping at once afterwards. Twice: the first round may grow the
     * relay's buffer pools (bounded), the second must not grow it further (nothing leaks per request).
     */
    @Test
    void fuzzedRequestsLeaveTheRelayAnsweringAndItsMemoryBounded() throws Exception {
        long before = relay.residentBytes();
        fuzz(11);
        long afterFirst = relay.residentBytes();
        fuzz(12);
        long afterSecond = relay.residentBytes();
        System.out.printf("fuzz: resident before %d MB, after 3,000 requests %d MB, after 6,000 %d MB%n",
                before >> 20, afterFirst >> 20, afterSecond >> 20);
        assertThat(afterFirst).isLessThan(before + (96L << 20));
        assertThat(afterSecond).isLessThan(afterFirst + (32L << 20));
    }

    private static void fuzz(long seed) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            cases.add(fuzzCase(random, i));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<Integer> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (FuzzCase c : cases) {
            done.add(pool.submit(() -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", relay.port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(c.bytes().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    s.shutdownOutput();
                    String answer = new String(s.getInputStream().readNBytes(9), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (!answer.startsWith("HTTP/1.1 ") && c.answered()) {
                        unanswered.add(c.kind());
                    }
                } catch (java.io.IOException e) {
                    if (c.answered()) {
                        unanswered.add(c.kind());
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(unanswered).as("kinds of the requests that got no HTTP answer").isEmpty();
        long started = System.nanoTime();
        assertPingAnswers();
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }

    /** A request's bytes, and whether the relay owes an answer (not when the bytes end before the request). */
    private record FuzzCase(int kind, String bytes, boolean answered) {
    }

    private static FuzzCase fuzzCase(java.util.Random random, int i) {
        String line = "c" + i + " v=1";
        int kind = random.nextInt(12);
        return new FuzzCase(kind, fuzzBytes(random, kind, i, line), kind != 10);
    }

    private static String fuzzBytes(java.util.Random random, int kind, int i, String line) {
        return switch (kind) {
            case 0 -> chunked("/write?db=db", line, "\n" + line);
            case 1 -> "POST /write?db=db HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(random.nextInt(1 << 20)) + "x\r\n" + line + "\r\n0\r\n\r\n";
            case 2 -> "POST /write?db=db HTTP/1.1\r\nHost: r\r\nContent-Length: 3\r\n\r\n" + line + "\r\n\r\n";
            case 3 -> post("/write?db=%" + (char) ('g' + random.nextInt(10)) + "z&p=9%", line)
                    + "GET /ping?x=%zz HTTP/1.1\r\nHost: r\r\n\r\n";
            case 4 -> post("/wr%q1te?db=db", line);
            case 5 -> post("/write?db=db", "no equals sign " + i, "Content-Type: application/x-www-form-urlencoded\r\n");
            case 6 -> post("/write?db=db", "\u001f\u008b broken gzip " + i, "Content-Encoding: gzip\r\n");
            case 7 -> "POST /write?db=db HTTP/1.1\r\nHost: r\r\nContent-Length: -" + i + "\r\n\r\n" + line;
            case 8 -> "GET /ping HTTP/1.1\r\nHost: r\r\nX-Big: " + "h".repeat(random.nextInt(3) << 20) + "\r\n\r\n";
            case 9 -> "POST /write?db=db HTTP/1.1\r\nHost: r\r\nContent-Length: " + (50_000_000 + i) + "\r\n\r\n" + line;
            case 10 -> "POST /write?db=db HTTP/1.1\r\nHost: r\r\nContent-Length: 5000\r\n\r\n" + line;
            default -> "\u0000" + "GARBAGE " + i + " \u00ff\u0001 HTTP/9\r\n\r\n";
        };
    }

}
