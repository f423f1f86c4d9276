package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay between a client and two real influxd: what lands on each, and what the client hears. */
class WriteFanOutIT {
    private static final AtomicInteger DB_SEQ = new AtomicInteger();

    private static Influxd a;
    private static Influxd b;
    private static Influxd direct;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        direct = Influxd.start();
        relay = RelayProcess.inFrontOf(a, b, Map.of(
                "relay.http.max-body-mb", "1"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b, direct);
    }

    /** A fresh database on every server, so tests do not see each other's points. */
    private static String newDb() {
        String db = "db" + DB_SEQ.incrementAndGet();
        a.createDatabase(db);
        b.createDatabase(db);
        direct.createDatabase(db);
        return db;
    }

    private static HttpResponse<String> write(String query, String body, String... headers) {
        return Http.post(relay.url() + "/write?" + query, body, headers);
    }

    private static String all(Influxd influxd, String db) {
        return influxd.query(db, "SELECT * FROM /.*/");
    }

    @Test
    void aWriteLandsOnBothBackends() {
        String db = newDb();
        HttpResponse<String> r = write("db=" + db, "cpu,host=a v=1 1000\ncpu,host=b v=2 2000\n");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("X-Influxdb-Version")).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+\\.\\d+.*"));
        // the client was answered at the first success: the other backend may still be writing
        await().untilAsserted(() -> assertThat(all(b, db)).isEqualTo(all(a, db)));
        assertThat(all(a, db)).contains("[1000,\"a\",1]").contains("[2000,\"b\",2]");
    }

    @Test
    void trickyLinesLandExactlyAsADirectWriteStoresThem() throws IOException {
        String db = newDb();
        String corpus;
        try (var in = Objects.requireNonNull(getClass().getResourceAsStream("/corpus/tricky.lp"))) {
            corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(direct.writeResponse("db=" + db, corpus).statusCode()).as("influxd takes the corpus").isEqualTo(204);
        HttpResponse<String> r = write("db=" + db, corpus);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

        String expected = all(direct, db);
        assertThat(expected).contains("multi\\nline\\nstring").contains("Zürich");
        await().untilAsserted(() -> {
            assertThat(all(a, db)).isEqualTo(expected);
            assertThat(all(b, db)).isEqualTo(expected);
        });
    }

    @Test
    void pointsWithoutTimestampGetTheSameTimeOnBothBackendsInTheRequestPrecision() {
        for (String precision : new String[] {"ns", "ms", "s", "h"}) {
            String db = newDb();
            long before = System.currentTimeMillis();
            assertThat(write("db=" + db + "&precision=" + precision, "m,p=" + precision + " v=1\nm,p=x v=2").statusCode())
                    .isEqualTo(204);
            await().untilAsserted(() -> assertThat(all(b, db)).isEqualTo(all(a, db)));
            Matcher t = Pattern.compile("\\[(\\d+),").matcher(all(a, db));
            assertThat(t.find()).isTrue();
            long nanos = Long.parseLong(t.group(1));
            long unit = switch (precision) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 1L;
            };
            assertThat(nanos % unit).as("truncated to %s", precision).isZero();
            assertThat(nanos / 1_000_000).isBetween(before - unit / 1_000_000 - 1000, System.currentTimeMillis() + 1000);
        }
    }

    @Test
    void aMissingDatabaseIsRefusedLikeInfluxdb() {
        HttpResponse<String> r = write("precision=s", "m v=1");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"missing parameter: db\"}\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("X-InfluxDB-Error")).hasValue("missing parameter: db");
    }

    @Test
    void databaseNotFoundIsPassedThroughWithInfluxdbsBody() {
        HttpResponse<String> r = write("db=nosuchdb", "m v=1");
        HttpResponse<String> fromInflux = direct.writeResponse("db=nosuchdb", "m v=1");
        assertThat(r.statusCode()).isEqualTo(404).isEqualTo(fromInflux.statusCode());
        assertThat(r.body()).isEqualTo(fromInflux.body());
        assertThat(r.headers().firstValue("X-InfluxDB-Error")).hasValue("database not found: \"nosuchdb\"");
    }

    @Test
    void badLinesAreDroppedGoodLinesWrittenAndThePartialWriteReported() {
        String db = newDb();
        HttpResponse<String> r = write("db=" + db, "good v=1 1000\nbad_no_fields\ngood v=2 2000\nbad2 v=\n");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":\"partial write: unable to parse 'bad_no_fields': missing fields")
                .contains("unable to parse 'bad2 v=': ")
                .endsWith(" dropped=2\"}\n");
        await().untilAsserted(() -> {
            assertThat(all(a, db)).contains("[1000,1]").contains("[2000,2]");
            assertThat(all(b, db)).isEqualTo(all(a, db));
        });
    }

    @Test
    void noGoodLineAtAllIs400AndNothingIsForwarded() {
        String db = newDb();
        HttpResponse<String> r = write("db=" + db, "only_bad\nalso bad");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":\"unable to parse 'only_bad': missing fields");
        assertThat(all(a, db)).doesNotContain("series");
        assertThat(all(b, db)).doesNotContain("series");
    }

    @Test
    void gzipBodiesAreAcceptedAndBrokenGzipIs400WithTheRelayStillUp() {
        String db = newDb();
        HttpResponse<String> ok = Http.post(relay.url() + "/write?db=" + db, Http.gzip("z v=7 7000\n"), "Content-Encoding", "gzip");
        assertThat(ok.statusCode()).isEqualTo(204);
        await().untilAsserted(() -> assertThat(all(b, db)).contains("[7000,7]"));

        HttpResponse<String> broken = Http.post(relay.url() + "/write?db=" + db, "not gzip at all", "Content-Encoding", "gzip");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).startsWith("{\"error\":\"gzip: ");
        assertThat(Http.request("GET", relay.url() + "/ping").statusCode()).isEqualTo(204);
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingIsForwarded() {
        String db = newDb();
        String line = "big v=1 1000\n";
        String body = line.repeat((1024 * 1024) / line.length() + 10); // just over 1 MiB
        HttpResponse<String> r = write("db=" + db, body);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("request body too large");
        HttpResponse<String> gz = Http.post(relay.url() + "/write?db=" + db, Http.gzip(body), "Content-Encoding", "gzip");
        assertThat(gz.statusCode()).as("the limit holds after un-gzipping").isEqualTo(413);
        assertThat(all(a, db)).doesNotContain("series");
    }

    @Test
    void aFormEncodedContentTypeDoesNotChangeTheBody() {
        // curl --data-binary sends application/x-www-form-urlencoded; the body is still line protocol
        String db = newDb();
        HttpResponse<String> r = write("db=" + db, "form,t=x v=1 1000", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(204);
        await().untilAsserted(() -> assertThat(all(b, db)).contains("[1000,\"x\",1]"));
    }

    @Test
    void pingOptionsAndOtherMethodsAnswerLikeInfluxdb() {
        HttpResponse<String> ping = Http.request("GET", relay.url() + "/ping");
        assertThat(ping.statusCode()).isEqualTo(204);
        assertThat(ping.headers().firstValue("X-Influxdb-Version")).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+\\.\\d+.*"));
        assertThat(Http.request("HEAD", relay.url() + "/ping").statusCode()).isEqualTo(204);
        HttpResponse<String> verbose = Http.request("GET", relay.url() + "/ping?verbose=true");
        assertThat(verbose.statusCode()).isEqualTo(200);
        assertThat(verbose.body()).contains("\"version\"");

        assertThat(Http.request("OPTIONS", relay.url() + "/write?db=x").statusCode()).isEqualTo(204);
        HttpResponse<String> get = Http.request("GET", relay.url() + "/write?db=x");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("OPTIONS, POST");
        assertThat(get.body()).startsWith("{\"error\":");

        HttpResponse<String> unknown = Http.request("GET", relay.url() + "/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(unknown.body()).startsWith("{\"error\":");
        // /query is served now, by a backend
        assertThat(Http.request("GET", relay.url() + "/query?q=SHOW+DATABASES").body()).contains("\"name\":\"databases\"");
    }

    @Test
    void requestsWithoutAHostHeaderAreServedLikeInfluxdbServesThem() throws IOException {
        // HTTP/1.0 clients and HAProxy's default health check send no Host header
        for (String request : new String[] {"GET /ping HTTP/1.0\r\n\r\n", "HEAD /ping HTTP/1.1\r\n\r\n"}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertThat(status).as(request).isEqualTo("HTTP/1.1 204 No Content");
            }
        }
    }

    @Test
    void anInvalidConsistencyIsRefusedLikeInfluxdb() {
        String db = newDb();
        HttpResponse<String> r = write("db=" + db + "&consistency=most", "m v=1");
        HttpResponse<String> fromInflux = direct.writeResponse("db=" + db + "&consistency=most", "m v=1");
        assertThat(r.statusCode()).isEqualTo(400).isEqualTo(fromInflux.statusCode());
        assertThat(r.body()).isEqualTo(fromInflux.body());
    }

    @Test
    void windowsLineEndingsAreTakenAndStoredWithoutTheCarriageReturn() {
        // influxd 1.6 itself refuses "v=1 1000\r" (bad timestamp); the relay strips the \r
        String db = newDb();
        HttpResponse<String> r = write("db=" + db, "crlf,t=a v=1 1000\r\ncrlf,t=b s=\"x\" 2000\r\ncrlf,t=c v=3\r\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        await().untilAsserted(() -> assertThat(all(b, db)).contains("[1000,null,\"a\",1]").contains("[2000,\"x\",\"b\",null]"));
        assertThat(all(a, db)).isEqualTo(all(b, db)).contains("\"c\",3]");
    }
}
