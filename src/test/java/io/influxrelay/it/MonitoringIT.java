package io.influxrelay.it;

import io.influxrelay.testing.FreePorts;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What operators and load balancers read from a relay in front of two real influxd. */
class MonitoringIT {
    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;
    private static int managementPort;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("mon");
        b.createDatabase("mon");
        managementPort = FreePorts.next();
        relay = RelayProcess.inFrontOf(a, b, Map.of(
                "relay.max-delay-interval", "1s",
                "relay.management.port", Integer.toString(managementPort),
                "relay.access-log", "true"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static String metrics() {
        HttpResponse<String> r = Http.request("GET", relay.url() + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    @Test
    void metricsCountWritesPointsAndBackendReplies() {
        String before = metrics();
        assertThat(Http.post(relay.url() + "/write?db=mon", "m v=1 1\nm v=2 2\nm v=3 3").statusCode()).isEqualTo(204);
        assertThat(Http.post(relay.url() + "/write?db=nosuch", "m v=1 1").statusCode()).isEqualTo(404);
        await().untilAsserted(() -> {
            String after = metrics();
            assertThat(Prometheus.sample(after, "relay_write_requests_total", "status=\"204\""))
                    .isEqualTo(Prometheus.sample(before, "relay_write_requests_total", "status=\"204\"") + 1);
            assertThat(Prometheus.sample(after, "relay_write_requests_total", "status=\"404\""))
                    .isEqualTo(Prometheus.sample(before, "relay_write_requests_total", "status=\"404\"") + 1);
            assertThat(Prometheus.sample(after, "relay_write_points_total", "")).isGreaterThanOrEqualTo(Prometheus.sample(before, "relay_write_points_total", "") + 4);
            assertThat(Prometheus.sample(after, "relay_backend_requests_total", "backend=\"b\",status=\"204\""))
                    .isEqualTo(Prometheus.sample(before, "relay_backend_requests_total", "backend=\"b\",status=\"204\"") + 1);
            assertThat(Prometheus.sample(after, "relay_write_duration_seconds_count", "")).isGreaterThan(0);
        });
        assertThat(metrics()).contains("relay_buffer_size_bytes{backend=\"a\"}").contains("relay_backend_duration_seconds_bucket");
    }

    @Test
    void aStoppedBackendIsOutOfReadsUntilItsBufferHasDrained() throws Exception {
        String url = relay.url() + "/health/backend/b";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Http.request("GET", url).statusCode()).isEqualTo(200));
        b.stop();
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(Http.request("GET", url).statusCode()).isEqualTo(503));
        assertThat((System.nanoTime() - stopped) / 1_000_000).as("ms until 503").isLessThan(2000);
        assertThat(Http.request("GET", url).body()).contains("\"state\":\"down\"");

        String before = metrics();
        for (int i = 0; i < 20; i++) {
            assertThat(Http.post(relay.url() + "/write?db=mon", "held v=" + i + " " + i).statusCode()).isEqualTo(204);
        }
        HttpResponse<String> status = Http.request("GET", relay.url() + "/status");
        assertThat(status.body()).contains("\"name\":\"b\"").contains("\"state\":\"down\"").contains("\"lastError\":\"");
        assertThat(Http.request("GET", relay.url() + "/health").statusCode()).as("a is up: writes are taken").isEqualTo(200);
        assertThat(Prometheus.sample(metrics(), "relay_backend_failures_total", "backend=\"b\""))
                .isGreaterThan(Prometheus.sample(before, "relay_backend_failures_total", "backend=\"b\""));
        assertThat(Prometheus.sample(metrics(), "relay_buffer_writes", "backend=\"b\"")).isEqualTo(20);

        b.restart();
        // back, but still replaying: reads stay off it until its buffer is empty
        boolean sawDraining = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = Http.request("GET", url);
            if (r.statusCode() == 200) {
                break;
            }
            sawDraining |= r.body().contains("\"state\":\"draining\"");
            Thread.sleep(20);
        }
        assertThat(Http.request("GET", url).statusCode()).isEqualTo(200);
        assertThat(b.query("mon", "SELECT count(v) FROM held")).contains(",20]");
        assertThat(relay.log()).contains("backend b (" + b.url() + ") is down").contains("backend b is back after");
        System.out.println("saw draining state: " + sawDraining);
    }

    @Test
    void unknownBackendIs404() {
        assertThat(Http.request("GET", relay.url() + "/health/backend/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theAccessLogMasksCredentials() {
        Http.post(relay.url() + "/write?db=mon&u=alice&p=hunter2", "m v=1 1");
        await().untilAsserted(() -> assertThat(relay.log()).contains("\"POST /write?db=mon&u=***&p=***\" 204"));
        assertThat(relay.log()).doesNotContain("hunter2");
    }

    @Test
    void jolokiaReadsCamelAndTheBackendsButRefusesWrites() {
        String jolokia = "http://127.0.0.1:" + managementPort + "/observe/jolokia";
        HttpResponse<String> context = Http.request("GET", jolokia + "/read/org.apache.camel:type=context,*/State");
        assertThat(context.body()).contains("\"status\":200").contains("Started");
        HttpResponse<String> routes = Http.request("GET", jolokia + "/search/org.apache.camel:type=routes,*");
        assertThat(routes.body()).contains("http").contains("fanout").contains("backend-a");
        HttpResponse<String> backend = Http.request("GET", jolokia + "/read/io.influxrelay:type=Backend,name=a");
        assertThat(backend.body()).contains("\"status\":200").contains("\"State\"");
        HttpResponse<String> buffer = Http.request("GET", jolokia + "/read/io.influxrelay:type=RetryBuffer,backend=b");
        assertThat(buffer.body()).contains("\"status\":200").contains("\"CapacityBytes\"");

        // operations go as POST (a GET may only read: JolokiaAccessIT)
        String route = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=influxdb-relay,type=routes,name=\\\"health-probe\\\"\",\"operation\":";
        String state = jolokia + "/read/org.apache.camel:context=influxdb-relay,type=routes,name=%22health-probe%22/State";
        assertThat(Http.post(jolokia, route + "\"stop()\"}").body()).contains("\"status\":200");
        assertThat(Http.request("GET", state).body()).contains("Stopped");
        assertThat(Http.post(jolokia, route + "\"start()\"}").body()).contains("\"status\":200");
        assertThat(Http.request("GET", state).body()).contains("Started");

        HttpResponse<String> write = Http.post(jolokia, "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        assertThat(write.body()).doesNotContain("\"status\":200");
        assertThat(write.body()).contains("forbidden");
        HttpResponse<String> gc = Http.post(jolokia, "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
        assertThat(gc.body()).contains("\"status\":403");
        HttpResponse<String> stopAll = Http.post(jolokia, "{\"type\":\"exec\",\"mbean\":"
                + "\"org.apache.camel:context=influxdb-relay,type=context,name=\\\"influxdb-relay\\\"\",\"operation\":\"stop()\"}");
        assertThat(stopAll.body()).contains("\"status\":403");
        // and over GET they are refused before Jolokia sees them
        assertThat(Http.request("GET", jolokia + "/write/java.lang:type=Memory/Verbose/true").statusCode()).isEqualTo(403);
        assertThat(Http.request("GET", jolokia + "/exec/java.lang:type=Memory/gc").statusCode()).isEqualTo(403);
    }
}
