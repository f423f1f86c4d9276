package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RawBackend;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /query through the relay against two real influxd: statements that change state reach both servers
 * (checked on each directly), reads answer exactly what a server answers, never from a server that is
 * down or still replaying, fail over, and keep their order with the writes in a retry buffer.
 */
class QueryIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        relay = RelayProcess.inFrontOf(a, b, Map.of("relay.access-log", "true", "relay.max-delay-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** POST /query with q in a form body, as the CLI and the client libraries send it. */
    private static HttpResponse<String> statement(String url, String q) {
        return Http.post(url + "/query", "q=" + enc(q), "Content-Type", "application/x-www-form-urlencoded");
    }

    private static HttpResponse<String> statement(String url, String db, String q) {
        return Http.post(url + "/query", "db=" + enc(db) + "&q=" + enc(q), "Content-Type", "application/x-www-form-urlencoded");
    }

    private static HttpResponse<byte[]> get(String url, String params, String... headers) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + "/query?" + params)).timeout(Duration.ofSeconds(60));
            if (headers.length > 0) {
                r.headers(headers);
            }
            return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String show(Influxd server, String q) {
        return server.query("_internal", q);
    }

    @Test
    void statementsThatChangeStateReachBothServers() {
        assertThat(statement(relay.url(), "CREATE DATABASE schema1").statusCode()).isEqualTo(200);
        assertThat(statement(relay.url(), "CREATE RETENTION POLICY week ON schema1 DURATION 7d REPLICATION 1").body())
                .doesNotContain("error");
        assertThat(statement(relay.url(), "CREATE USER carol WITH PASSWORD 'c4r0l-Secret!'").body()).doesNotContain("error");
        assertThat(statement(relay.url(), "CREATE CONTINUOUS QUERY cq1 ON schema1 BEGIN SELECT mean(v) INTO m_1h FROM m "
                + "GROUP BY time(1h) END").body()).doesNotContain("error");
        assertThat(Http.post(relay.url() + "/write?db=schema1", "m,k=1 v=1 1000000000\nm,k=2 v=2 2000000000\ngone v=1 1")
                .statusCode()).isEqualTo(204);
        for (Influxd server : new Influxd[]{a, b}) {
            assertThat(show(server, "SHOW DATABASES")).contains("\"schema1\"");
            assertThat(show(server, "SHOW RETENTION POLICIES ON schema1")).contains("\"week\"");
            assertThat(show(server, "SHOW USERS")).contains("\"carol\"");
            assertThat(show(server, "SHOW CONTINUOUS QUERIES")).contains("\"cq1\"");
        }
        assertThat(statement(relay.url(), "schema1", "DROP MEASUREMENT gone; DELETE FROM m WHERE k = '1'").body())
                .doesNotContain("error");
        for (Influxd server : new Influxd[]{a, b}) {
            assertThat(server.query("schema1", "SHOW MEASUREMENTS")).doesNotContain("gone").contains("\"m\"");
            assertThat(server.query("schema1", "SELECT * FROM m")).contains("\"2\"").doesNotContain("\"1\",");
        }
    }

    @Test
    void aStatementErrorIsInfluxDbsOwnAnswer() {
        HttpResponse<String> r = statement(relay.url(), "DROP USER nobody");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"error\"");
        HttpResponse<String> syntax = statement(relay.url(), "CREATE DATABSE x");
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(syntax.body()).contains("error parsing query");
        HttpResponse<String> none = statement(relay.url(), " ; -- nothing");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).isEqualTo("{\"error\":\"missing required parameter \\\"q\\\"\"}\n");
        assertThat(Http.request("PUT", relay.url() + "/query?q=SHOW+DATABASES").statusCode()).isEqualTo(405);
    }

    @Test
    void readsAnswerExactlyWhatAServerAnswers() throws IOException {
        statement(relay.url(), "CREATE DATABASE reads");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            lines.append("cpu,host=h").append(i % 7).append(" usage=").append(i * 0.5).append(",n=").append(i)
                    .append("i,s=\"x\\\"y ").append(i).append("\",ok=true ").append(1_600_000_000_000_000_000L + i * 1_000_000L).append('\n');
        }
        assertThat(Http.post(relay.url() + "/write?db=reads", lines.toString()).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.query("reads", "SELECT count(n) FROM cpu").contains("5000"));
        String q = "q=" + enc("SELECT * FROM cpu WHERE host =~ /h[1-3]/ GROUP BY host") + "&db=reads";
        for (String params : new String[]{q, q + "&epoch=ms", q + "&chunked=true&chunk_size=100", q + "&pretty=true",
                "db=reads&q=" + enc("SHOW TAG VALUES FROM cpu WITH KEY = host; SHOW FIELD KEYS")}) {
            HttpResponse<byte[]> direct = get(a.url(), params);
            HttpResponse<byte[]> through = get(relay.url(), params);
            assertThat(through.statusCode()).isEqualTo(direct.statusCode());
            assertThat(through.headers().firstValue("Content-Type")).isEqualTo(direct.headers().firstValue("Content-Type"));
            assertThat(new String(through.body(), StandardCharsets.UTF_8)).as(params)
                    .isEqualTo(new String(direct.body(), StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> gzipped = get(relay.url(), q, "Accept-Encoding", "gzip");
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(get(a.url(), q).body(), StandardCharsets.UTF_8));
    }

    @Test
    void readsNeverGoToAServerThatIsDownOrReplaying_andStatementsKeepTheirOrderWithTheWrites() {
        b.stop();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                Http.request("GET", relay.url() + "/health/backend/b").statusCode() == 503);
        // while b is down: a database, and writes into it, through the relay
        assertThat(statement(relay.url(), "CREATE DATABASE ordered").statusCode()).isEqualTo(200);
        for (int i = 0; i < 50; i++) {
            assertThat(Http.post(relay.url() + "/write?db=ordered", "o,n=" + i + " v=" + i + " " + (1_000_000_000L * (i + 1)))
                    .statusCode()).isEqualTo(204);
        }
        double readsOnB = readsServed("b");
        for (int i = 0; i < 20; i++) { // b is down: every read on a
            HttpResponse<byte[]> r = get(relay.url(), "db=ordered&q=" + enc("SELECT count(v) FROM o"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(",50]");
        }
        assertThat(readsServed("b")).isEqualTo(readsOnB);
        b.restart();
        // until b holds every acknowledged write, reads stay on a: a read made while b was replaying
        // from start to end never went to b
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            boolean replayingBefore = Http.request("GET", relay.url() + "/health/backend/b").statusCode() == 503;
            double before = readsServed("b");
            HttpResponse<byte[]> r = get(relay.url(), "db=ordered&q=" + enc("SELECT count(v) FROM o"));
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(",50]");
            boolean replayingAfter = Http.request("GET", relay.url() + "/health/backend/b").statusCode() == 503;
            if (replayingBefore && replayingAfter) {
                assertThat(readsServed("b")).isEqualTo(before);
            }
            return !replayingAfter;
        });
        assertThat(b.query("ordered", "SELECT count(v) FROM o")).contains(",50]");
        assertThat(relay.deadLetters("b")).isEmpty();
        // caught up: b takes reads again
        for (int i = 0; i < 6; i++) {
            assertThat(get(relay.url(), "db=ordered&q=" + enc("SELECT count(v) FROM o")).statusCode()).isEqualTo(200);
        }
        assertThat(readsServed("b")).isGreaterThan(readsOnB);
    }

    private static double readsServed(String backend) {
        return Prometheus.sample(Prometheus.scrape(relay), "relay_query_reads_total", "backend=\"" + backend + "\"");
    }

    @Test
    void aReadFailsOverWhenTheChosenServerAnswersNothing() {
        try (RawBackend silent = RawBackend.start(RawBackend.bytes(""));
             RelayProcess twoWay = RelayProcess.start(Map.of(
                     "relay.backends", "silent,a",
                     "relay.backend.silent.url", silent.url(),
                     "relay.backend.a.url", a.url()))) {
            statement(a.url(), "CREATE DATABASE failover");
            a.write("failover", "f v=1 1000000000");
            for (int i = 0; i < 6; i++) {
                HttpResponse<byte[]> r = get(twoWay.url(), "db=failover&q=" + enc("SELECT v FROM f"));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("[\"1970-01-01T00:00:01Z\",1]");
            }
            assertThat(silent.queries()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void passwordsNeverReachTheLogStatusOrMetrics() {
        statement(relay.url(), "CREATE USER dave WITH PASSWORD 'd4ve-Pa55word'");
        Http.request("GET", relay.url() + "/query?q=" + enc("SET PASSWORD FOR dave = 'n3w-Pa55word'"));
        statement(relay.url(), "CREATE USER dave WITH PASSWORD 'd4ve-Pa55word'"); // refused: exists
        String everything = relay.log() + Http.request("GET", relay.url() + "/status").body() + Prometheus.scrape(relay);
        assertThat(everything).doesNotContain("d4ve-Pa55word").doesNotContain("n3w-Pa55word").contains("/query");
    }

    @Test
    void aReplicaRebuiltEmptyGetsItsDatabaseCreatedWhenAutoCreateIsOn() {
        try (Influxd empty = Influxd.start();
             RelayProcess autoCreating = RelayProcess.inFrontOf(a, empty, Map.of("relay.auto-create-database", "true"))) {
            a.createDatabase("rebuilt");
            // a write a backend refuses for a database it lacks: created there, the write sent again
            assertThat(Http.post(autoCreating.url() + "/write?db=rebuilt", "r v=1 1000000000").statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(empty.query("rebuilt", "SELECT * FROM r")).contains("[1000000000,1]"));
            assertThat(autoCreating.log()).contains("had no database rebuilt: created it");
        }
        // off (the default): a backend without the database refuses (the client gets a's 204 or its 404,
        // whichever comes first, by the rules), and nothing creates it
        try (Influxd empty = Influxd.start(); RelayProcess plain = RelayProcess.inFrontOf(a, empty, Map.of())) {
            assertThat(Http.post(plain.url() + "/write?db=rebuilt", "r v=2 2000000000").statusCode()).isIn(204, 404);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Prometheus.sample(Prometheus.scrape(plain),
                    "relay_backend_requests_total", "backend=\"b\",status=\"404\"")).isEqualTo(1));
            assertThat(empty.query("_internal", "SHOW DATABASES")).doesNotContain("rebuilt");
        }
    }
}
