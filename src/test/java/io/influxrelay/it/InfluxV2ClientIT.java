package io.influxrelay.it;

import com.influxdb.annotations.Column;
import com.influxdb.annotations.Measurement;
import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.WriteApi;
import com.influxdb.client.WriteOptions;
import com.influxdb.client.domain.HealthCheck;
import com.influxdb.client.domain.Ready;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import com.influxdb.exceptions.BadRequestException;
import com.influxdb.exceptions.NotFoundException;
import com.influxdb.exceptions.UnauthorizedException;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The official InfluxDB 2.x Java client (influxdb-client-java) writing through the relay's
 * /api/v2/write to two real influxd 1.6 with auth enabled, which know no 2.x API: the relay maps
 * bucket, precision and token as InfluxDB 1.8 does, and answers errors in the 2.x shape.
 */
class InfluxV2ClientIT {
    private static final String USER = "admin";
    private static final String PASSWORD = "s3cret";
    private static final String DB = "v2";

    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;
    private static InfluxDBClient client;

    @BeforeAll
    static void start() {
        a = Influxd.startWithAuth(USER, PASSWORD);
        b = Influxd.startWithAuth(USER, PASSWORD);
        for (Influxd influxd : new Influxd[] {a, b}) {
            influxd.createDatabase(DB);
            influxd.query(DB, "CREATE RETENTION POLICY week ON " + DB + " DURATION 7d REPLICATION 1");
        }
        relay = RelayProcess.inFrontOf(a, b, Map.of("relay.http.max-body-mb", "1"));
        // the 1.8 compatibility entry: token "user:password", bucket "database/retention-policy"
        client = InfluxDBClientFactory.createV1(relay.url(), USER, PASSWORD.toCharArray(), DB, "");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        Quietly.close(relay, a, b);
    }

    /** What a holds, once b holds the same (the client's answer comes with the first backend's). */
    private static String onBoth(String influxQl) {
        return await().until(() -> a.query(DB, influxQl), fromA -> fromA.equals(b.query(DB, influxQl)));
    }

    @Measurement(name = "pojo")
    public static final class Reading {
        @Column(tag = true)
        String sensor;
        @Column
        Double level;
        @Column(timestamp = true)
        Instant time;
    }

    @Test
    void pointsRecordsAndPojosReachBothBackends() {
        var write = client.getWriteApiBlocking();
        write.writeRecord(WritePrecision.NS, "record,host=h1 v=1i 1000000000");
        write.writePoint(Point.measurement("point").addTag("host", "h2").addField("v", 2.5)
                .time(Instant.ofEpochSecond(2000), WritePrecision.MS));
        Reading reading = new Reading();
        reading.sensor = "s1";
        reading.level = 7.0;
        reading.time = Instant.ofEpochSecond(3000);
        write.writeMeasurement(WritePrecision.S, reading);

        // times in nanoseconds, as the test's queries ask
        assertThat(onBoth("SELECT * FROM record")).contains("[1000000000,\"h1\",1]");
        assertThat(onBoth("SELECT * FROM point")).contains("[2000000000000,\"h2\",2.5]");
        assertThat(onBoth("SELECT * FROM pojo")).contains("[3000000000000,7,\"s1\"]");
    }

    @Test
    void aBatchingWriteApiDeliversEveryPoint() {
        try (WriteApi batching = client.makeWriteApi(WriteOptions.builder().batchSize(250).flushInterval(100).build())) {
            IntStream.range(0, 1000).forEach(i -> batching.writePoint(Point.measurement("batched")
                    .addTag("n", Integer.toString(i % 10)).addField("v", i).time((long) i, WritePrecision.S)));
            batching.flush();
        }
        await().untilAsserted(() -> assertThat(onBoth("SELECT count(v) FROM batched")).contains(",1000]"));
    }

    @Test
    void theBucketsRetentionPolicyAndThePrecisionAreKept() {
        long hourAgo = Instant.now().getEpochSecond() - 3600;
        HttpResponse<String> r = Http.post(relay.url() + "/api/v2/write?org=any&bucket=" + DB + "/week&precision=s",
                "weekly v=1 " + hourAgo, "Authorization", "Token " + USER + ":" + PASSWORD);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(onBoth("SELECT v FROM week.weekly")).contains("[" + hourAgo + "000000000,1]");
        assertThat(onBoth("SELECT v FROM autogen.weekly")).doesNotContain("values");
    }

    @Test
    void aWrongTokenIsRefusedByInfluxDbAs401InThe2xShape() {
        try (InfluxDBClient intruder = InfluxDBClientFactory.createV1(relay.url(), USER, "wrong".toCharArray(), DB, "")) {
            assertThatThrownBy(() -> intruder.getWriteApiBlocking().writeRecord(WritePrecision.NS, "intruder v=1 1"))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("authorization failed");
                    });
        }
        HttpResponse<String> r = Http.post(relay.url() + "/api/v2/write?bucket=" + DB, "intruder v=1 1",
                "Authorization", "Token " + USER + ":wrong");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"code\":\"unauthorized\",\"message\":\"authorization failed\"}\n");
        assertThat(onBoth("SELECT * FROM intruder")).doesNotContain("values");
    }

    @Test
    void badLineProtocolIs400WithThePartialWriteMessageAndTheGoodLinesStored() {
        assertThatThrownBy(() -> client.getWriteApiBlocking().writeRecords(WritePrecision.NS,
                java.util.List.of("partial v=1 1", "partial v= 2")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage())
                        .contains("partial write").contains("unable to parse").contains("dropped=1"));
        HttpResponse<String> r = Http.post(relay.url() + "/api/v2/write?bucket=" + DB, "garbage",
                "Authorization", "Token " + USER + ":" + PASSWORD);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"code\":\"invalid\",\"message\":\"unable to parse");
        assertThat(r.headers().firstValue("X-Platform-Error-Code")).hasValue("invalid");
        assertThat(onBoth("SELECT count(v) FROM partial")).contains(",1]");
    }

    @Test
    void anUnknownBucketIs404() {
        try (InfluxDBClient lost = InfluxDBClientFactory.createV1(relay.url(), USER, PASSWORD.toCharArray(), "nosuchdb", "")) {
            assertThatThrownBy(() -> lost.getWriteApiBlocking().writeRecord(WritePrecision.NS, "m v=1 1"))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("nosuchdb"));
        }
        HttpResponse<String> noBucket = Http.post(relay.url() + "/api/v2/write?org=o", "m v=1 1");
        assertThat(noBucket.statusCode()).isEqualTo(404);
        assertThat(noBucket.body()).startsWith("{\"code\":\"not found\",\"message\":\"bucket name");
    }

    @Test
    void anUnknownPrecisionIs400AndAnOversizedBodyIs413() {
        HttpResponse<String> precision = Http.post(relay.url() + "/api/v2/write?bucket=" + DB + "&precision=h", "m v=1 1",
                "Authorization", "Token " + USER + ":" + PASSWORD);
        assertThat(precision.statusCode()).isEqualTo(400);
        assertThat(precision.body()).isEqualTo("{\"code\":\"invalid\",\"message\":\"invalid precision \\\"h\\\" (use ns, us, ms or s)\"}\n");

        byte[] big = "big v=1 1\n".repeat(120_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> tooLarge = Http.post(relay.url() + "/api/v2/write?bucket=" + DB, big,
                "Authorization", "Token " + USER + ":" + PASSWORD);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).startsWith("{\"code\":\"request too large\",");
    }

    @Test
    void theClientsStartUpCallsPass() {
        assertThat(client.ping()).isTrue();
        assertThat(client.version()).isEqualTo("1.8.10-relay");
        Ready ready = client.ready();
        assertThat(ready).isNotNull();
        assertThat(ready.getStatus()).isEqualTo(Ready.StatusEnum.READY);
        HealthCheck health = client.health();
        assertThat(health.getStatus()).as(health.getMessage()).isEqualTo(HealthCheck.StatusEnum.PASS);
        assertThat(health.getName()).isEqualTo("influxdb-relay");
    }

    @Test
    void the1xWriteEndpointKeepsItsOwnShape() {
        HttpResponse<String> r = Http.post(relay.url() + "/write?db=" + DB + "&u=" + USER + "&p=" + PASSWORD, "garbage");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":\"unable to parse");
    }
}
