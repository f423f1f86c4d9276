package io.influxrelay.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.recovery.CheckJob;
import io.influxrelay.recovery.RangeSpec;
import io.influxrelay.recovery.RecoveryEngine;
import io.influxrelay.recovery.RecoveryJob;
import io.influxrelay.recovery.ResyncJob;
import io.influxrelay.recovery.WindowDifference;
import io.influxrelay.testing.Influxd;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resync and check engine as a user runs it: routes/recovery.yaml in a plain CamelContext, between
 * two real influxd. A varied dataset is copied to an empty server and must come out identical (points,
 * field types, retention policies); the check then agrees, lists exactly the windows damaged on the
 * target, and agrees again once a second resync has repaired them.
 */
class ResyncEngineIT {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final String SECRET = "Basic c2VjcmV0LXVzZXI6c2VjcmV0LXB3";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Influxd a;
    private static Influxd b;
    private static BackendConfig from;
    private static BackendConfig to;
    private static CamelContext camel;
    private static ProducerTemplate producer;
    /** The first hour of the dataset: whole hours, so windows and chunks line up with the damage. */
    private static long h0;

    @BeforeAll
    static void start() throws Exception {
        a = Influxd.start();
        b = Influxd.start();
        // credentials influxd ignores (auth is off): they must never show in a job's JSON or errors
        from = backend("a", a, SECRET);
        to = backend("b", b, SECRET);
        camel = camel(0);
        producer = camel.createProducerTemplate();
        h0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(7)).getEpochSecond() * SECOND;
    }

    @AfterAll
    static void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static BackendConfig backend(String name, Influxd influxd, String authorization) {
        // 64 KiB batches: the dataset takes many writes per chunk
        return new BackendConfig(name, URI.create(influxd.url()), authorization, Duration.ofSeconds(10), 0, 64 * 1024,
                Duration.ofSeconds(5), null, 0);
    }

    /** A CamelContext as the relay makes it for the engine: the routes file, the beans, the per-backend clients. */
    private static CamelContext camel(long maxPointsPerSecond) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty(RecoveryEngine.CHUNK_PROPERTY, "1h");
        context.getPropertiesComponent().setInitialProperties(properties);
        for (String name : List.of("a", "b")) {
            context.getRegistry().bind("backendClient-" + name, (HttpClientConfigurer) builder -> builder.disableAutomaticRetries());
        }
        RecoveryEngine.bind(context, maxPointsPerSecond);
        Path routes = Path.of(System.getProperty("relay.project.dir", ".")).resolve("routes/recovery.yaml").toAbsolutePath();
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:" + routes));
        context.start();
        return context;
    }

    @Test
    void aResyncToAnEmptyServerCopiesEverythingAndTheCheckFindsExactlyTheDamage() throws Exception {
        int written = writeDataset();
        RangeSpec metrics = new RangeSpec("metrics", null, h0 - HOUR, h0 + 7 * HOUR, List.of());
        RangeSpec other = new RangeSpec("other", null, h0 - HOUR, h0 + 7 * HOUR, List.of());

        ResyncJob first = resync("resync-1", metrics);
        ResyncJob second = resync("resync-2", other);
        assertThat(first.state()).as(first.error()).isEqualTo(RecoveryJob.State.DONE);
        assertThat(second.state()).as(second.error()).isEqualTo(RecoveryJob.State.DONE);
        assertThat(first.points() + second.points()).isEqualTo(written);
        // 2 retention policies x 3 measurements x 8 hour chunks
        assertThat(first.stepsTotal()).isEqualTo(48);
        assertThat(first.stepsDone()).isEqualTo(48);
        assertThat(first.batches()).isGreaterThan(10);
        System.out.printf("resync of %d points in %d batches: %.0f points/s%n", first.points(), first.batches(), first.pointsPerSecond());

        JsonNode json = JSON.readTree(first.toJson());
        assertThat(json.path("state").asText()).isEqualTo("done");
        assertThat(json.path("kind").asText()).isEqualTo("resync");
        assertThat(json.path("rp").isNull()).isTrue();
        assertThat(json.path("progress").path("done").asLong()).isEqualTo(48);
        assertThat(json.path("result").path("points").asLong()).isEqualTo(first.points());
        assertThat(json.path("result").path("createdDatabases").toString()).isEqualTo("[\"metrics\"]");
        assertThat(json.path("result").path("createdRetentionPolicies").toString())
                .isEqualTo("[\"metrics.\\\"autogen\\\"\",\"metrics.\\\"two_weeks\\\"\"]");
        assertThat(first.toJson()).doesNotContain(SECRET).doesNotContain("c2VjcmV0");

        assertSameData("metrics");
        assertSameData("other");
        assertThat(b.query("metrics", "SHOW RETENTION POLICIES")).isEqualTo(a.query("metrics", "SHOW RETENTION POLICIES"))
                .contains("\"two_weeks\",\"336h0m0s\",\"24h0m0s\",1,false");

        CheckJob agrees = check("check-1", metrics);
        assertThat(agrees.state()).as(agrees.error()).isEqualTo(RecoveryJob.State.DONE);
        assertThat(agrees.agrees()).as(agrees.toJson()).isTrue();
        assertThat(agrees.fromPoints()).isEqualTo(agrees.toPoints()).isPositive();
        assertThat(JSON.readTree(agrees.toJson()).path("result").path("agrees").asBoolean()).isTrue();

        // damage on b: one hour of cpu deleted, a measurement of the other database dropped
        statement(b, "metrics", "DELETE FROM \"cpu\" WHERE time >= " + (h0 + 2 * HOUR) + " AND time < " + (h0 + 3 * HOUR));
        statement(b, "other", "DROP MEASUREMENT \"events\"");

        CheckJob damaged = check("check-2", metrics);
        assertThat(damaged.agrees()).isFalse();
        assertThat(damaged.differences()).extracting(WindowDifference::rp, WindowDifference::measurement,
                        WindowDifference::field, WindowDifference::windowStartNs, WindowDifference::windowEndNs, WindowDifference::toCount)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("autogen", "cpu", "usage", h0 + 2 * HOUR, h0 + 3 * HOUR, 0L),
                        org.assertj.core.groups.Tuple.tuple("autogen", "cpu", "requests", h0 + 2 * HOUR, h0 + 3 * HOUR, 0L),
                        org.assertj.core.groups.Tuple.tuple("autogen", "cpu", "state", h0 + 2 * HOUR, h0 + 3 * HOUR, 0L),
                        org.assertj.core.groups.Tuple.tuple("autogen", "cpu", "up", h0 + 2 * HOUR, h0 + 3 * HOUR, 0L));
        WindowDifference usage = damaged.differences().stream().filter(d -> d.field().equals("usage")).findFirst().orElseThrow();
        assertThat(usage.fromCount()).isEqualTo(3 * 360);
        assertThat(usage.fromSum()).isNotNull();
        assertThat(usage.toSum()).isNull();
        JsonNode difference = JSON.readTree(damaged.toJson()).path("result").path("differences").path(0);
        assertThat(difference.path("windowStart").asText()).isEqualTo(Instant.ofEpochSecond((h0 + 2 * HOUR) / SECOND).toString());

        CheckJob dropped = check("check-3", other);
        assertThat(dropped.differences()).isNotEmpty()
                .allSatisfy(d -> assertThat(d.measurement()).isEqualTo("events"))
                .allSatisfy(d -> assertThat(d.toCount()).isZero());
        // events: one point a minute over 6 hours, two fields: one difference per field and hour
        assertThat(dropped.differences()).hasSize(12);

        assertThat(resync("resync-3", metrics).state()).isEqualTo(RecoveryJob.State.DONE);
        assertThat(resync("resync-4", other).state()).isEqualTo(RecoveryJob.State.DONE);
        assertThat(check("check-4", metrics).agrees()).isTrue();
        assertThat(check("check-5", other).agrees()).isTrue();
        assertSameData("metrics");
        assertSameData("other");
    }

    @Test
    void aWriteTheTargetRefusesFailsTheJobWithInfluxDbsReason() throws Exception {
        a.createDatabase("clash");
        b.createDatabase("clash");
        assertThat(a.write("clash", "conflict v=1.5 " + (h0 + SECOND))).isEqualTo(204);
        assertThat(b.write("clash", "conflict v=\"text\" " + (h0 + 2 * SECOND))).isEqualTo(204);

        ResyncJob job = resync("resync-clash", new RangeSpec("clash", "", h0, h0 + HOUR, List.of()));
        assertThat(job.state()).isEqualTo(RecoveryJob.State.FAILED);
        assertThat(job.error()).startsWith("b refused the write (400): ").contains("field type conflict")
                .doesNotContain(SECRET);
        JsonNode json = JSON.readTree(job.toJson());
        assertThat(json.path("state").asText()).isEqualTo("failed");
        assertThat(json.path("error").asText()).isEqualTo(job.error());
        assertThat(json.path("result").isNull()).isTrue();
    }

    @Test
    void aSourceWithoutTheDatabaseFailsTheJob() {
        ResyncJob job = resync("resync-none", new RangeSpec("nowhere", null, h0, h0 + HOUR, List.of()));
        assertThat(job.state()).isEqualTo(RecoveryJob.State.FAILED);
        assertThat(job.error()).isEqualTo("a has no database nowhere");
    }

    @Test
    void theRateLimitPacesTheCopyAndACancelStopsIt() throws Exception {
        a.createDatabase("paced");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            lines.append("paced,host=h").append(i % 4).append(" v=").append(i).append(' ').append(h0 + i * SECOND).append('\n');
        }
        assertThat(a.write("paced", lines.toString())).isEqualTo(204);
        RangeSpec spec = new RangeSpec("paced", "", h0, h0 + HOUR, List.of());
        try (CamelContext slow = camel(1000)) {
            ProducerTemplate template = slow.createProducerTemplate();
            ResyncJob paced = new ResyncJob("resync-paced", from, to, spec);
            template.send("direct:resync", e -> e.setProperty(RecoveryJob.PROPERTY, paced));
            assertThat(paced.state()).as(paced.error()).isEqualTo(RecoveryJob.State.DONE);
            assertThat(paced.points()).isEqualTo(2000);
            assertThat(paced.elapsed()).isGreaterThan(Duration.ofMillis(1500));
            assertThat(paced.pointsPerSecond()).isLessThan(1100);

            ResyncJob cancelled = new ResyncJob("resync-cancelled", from, to, spec);
            Thread canceller = new Thread(() -> {
                sleep(500);
                cancelled.cancel();
            });
            canceller.start();
            template.send("direct:resync", e -> e.setProperty(RecoveryJob.PROPERTY, cancelled));
            canceller.join();
            assertThat(cancelled.state()).isEqualTo(RecoveryJob.State.FAILED);
            assertThat(cancelled.error()).isEqualTo("cancelled");
            assertThat(cancelled.points()).isLessThan(2000);
            assertThat(cancelled.elapsed()).isLessThan(Duration.ofMillis(1500));
        }
    }

    private static ResyncJob resync(String id, RangeSpec spec) {
        ResyncJob job = new ResyncJob(id, from, to, spec);
        producer.send("direct:resync", e -> e.setProperty(RecoveryJob.PROPERTY, job));
        return job;
    }

    private static CheckJob check(String id, RangeSpec spec) {
        CheckJob job = new CheckJob(id, from, to, spec, Duration.ofHours(1));
        producer.send("direct:check", e -> e.setProperty(RecoveryJob.PROPERTY, job));
        assertThat(job.state()).as(job.error()).isEqualTo(RecoveryJob.State.DONE);
        return job;
    }

    /**
     * metrics: autogen (default) and two_weeks (336h, not default); cpu (every field type, 3 hosts, every
     * 10 s for 6 h), a measurement and tags that need escapes with hostile strings, in both policies.
     * other: events (one a minute) and extremes (floats and integers at their limits).
     * @return points written
     */
    private static int writeDataset() {
        a.createDatabase("metrics");
        statement(a, "metrics", "CREATE RETENTION POLICY \"two_weeks\" ON \"metrics\" DURATION 336h REPLICATION 1 SHARD DURATION 24h");
        a.createDatabase("other");
        int points = 0;
        List<String> cpu = new ArrayList<>();
        for (long t = h0; t < h0 + 6 * HOUR; t += 10 * SECOND) {
            for (int host = 0; host < 3; host++) {
                long i = (t - h0) / SECOND + host;
                cpu.add("cpu,host=h" + host + ",region=eu-west usage=" + (i % 7 == 0 ? "1" : (i * 0.37) + "") + ",requests=" + i
                        + "i,state=\"s" + (i % 5) + "\",up=" + (i % 2 == 0) + " " + (t + host));
            }
        }
        points += writeAll("metrics", "autogen", cpu);
        List<String> hostile = new ArrayList<>();
        String[] texts = {"say \\\"hi\\\", then go", "C:\\\\dir\\\\file", "line one\nline two", "tab\there, comma", "", "é ü ∑ 🙂",
                "ends with backslash\\\\", "{\\\"json\\\": [1, 2]}"};
        for (int i = 0; i < 600; i++) {
            long t = h0 + i * 36 * SECOND;
            hostile.add("disk\\ io\\,x,mount\\ point=/var\\,log\\=x,dev=sd\\ a read\\ bytes=" + i + "i,note=\"" + texts[i % texts.length]
                    + "\",ratio\\=x=" + (i / 3.0) + " " + t);
        }
        points += writeAll("metrics", "autogen", hostile);
        points += writeAll("metrics", "two_weeks", hostile);
        List<String> sparse = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sparse.add("sparse" + (i % 2 == 0 ? ",kind=even" : "") + " a=" + i + (i % 3 == 0 ? ",b=true" : "") + " " + (h0 + i * 7 * 60 * SECOND));
        }
        points += writeAll("metrics", "two_weeks", sparse);
        List<String> events = new ArrayList<>();
        for (long t = h0; t < h0 + 6 * HOUR; t += 60 * SECOND) {
            events.add("events,source=app msg=\"event at " + t + "\",level=3i " + t);
        }
        points += writeAll("other", "autogen", events);
        List<String> extremes = List.of(
                "extremes f=1.0,i=9223372036854775807i " + (h0 + SECOND),
                "extremes f=1e-300,i=-9223372036854775807i " + (h0 + 2 * SECOND),
                "extremes f=-0.0,i=0i " + (h0 + 3 * SECOND),
                "extremes f=1.7976931348623157e308,i=1i " + (h0 + 4 * SECOND),
                "extremes f=0.1,i=-1i " + (h0 + 5 * SECOND));
        points += writeAll("other", "autogen", extremes);
        return points;
    }

    private static int writeAll(String db, String rp, List<String> lines) {
        HttpResponse<String> r = a.writeResponse("db=" + db + "&rp=" + rp + "&precision=ns", String.join("\n", lines));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        return lines.size();
    }

    /** Same measurements, same field types, same points (every series, every value) in every policy. */
    private static void assertSameData(String db) {
        assertThat(b.query(db, "SHOW MEASUREMENTS")).isEqualTo(a.query(db, "SHOW MEASUREMENTS"));
        JsonNode rps = tree(a.query(db, "SHOW RETENTION POLICIES")).path("results").path(0).path("series").path(0).path("values");
        JsonNode measurements = tree(a.query(db, "SHOW MEASUREMENTS")).path("results").path(0).path("series").path(0).path("values");
        for (JsonNode rp : rps) {
            for (JsonNode m : measurements) {
                String source = "\"" + rp.path(0).asText() + "\".\"" + m.path(0).asText() + "\"";
                assertThat(b.query(db, "SHOW FIELD KEYS FROM " + source)).as(source).isEqualTo(a.query(db, "SHOW FIELD KEYS FROM " + source));
                String all = "SELECT * FROM " + source + " GROUP BY *";
                assertThat(b.query(db, all)).as(source).isEqualTo(a.query(db, all));
            }
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A statement that changes state (POST, as influxd wants it). */
    private static void statement(Influxd influxd, String db, String q) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(influxd.url() + "/query?db=" + db))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("\"error\"");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
