package io.influxrelay.it;

import io.influxrelay.testing.FreePorts;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Jmx;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the relay's Jolokia endpoint lets a caller see and do: no JVM arguments or system properties
 * (the relay runs with a -D...password=), operations only over POST from the port's own origin or none,
 * and no way to cut one backend off by stopping its route. The relay's own operations (/relay/check, resync)
 * are there too, and only there, under the same origin rule. And if a backend's route is stopped anyway
 * (over plain JMX), the backend misses writes the way a down backend does: counted, buffered, shown.
 */
class JolokiaAccessIT {
    private static final String SECRET = "hunter2";
    private static final String HAWTIO = "http://127.0.0.1:8090";
    private static final String ROUTE = "org.apache.camel:context=influxdb-relay,type=routes,name=\"%s\"";

    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;
    private static Jmx jmx;
    private static int managementPort;
    private static String jolokia;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("acc");
        b.createDatabase("acc");
        managementPort = FreePorts.next();
        jmx = Jmx.onFreePort();
        Map<String, String> p = new LinkedHashMap<>(Map.of(
                "relay.backends", "a,b",
                "relay.backend.a.url", a.url(),
                "relay.backend.b.url", b.url(),
                "relay.max-delay-interval", "1s",
                "relay.management.port", Integer.toString(managementPort),
                "relay.management.allow-origin", HAWTIO));
        List<String> jvmArgs = new ArrayList<>(jmx.jvmArgs());
        jvmArgs.add("-Dsome.password=" + SECRET);
        relay = RelayProcess.start(p, jvmArgs);
        jolokia = "http://127.0.0.1:" + managementPort + "/observe/jolokia";
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static HttpResponse<String> get(String path) {
        return Http.request("GET", jolokia + path);
    }

    private static HttpResponse<String> post(String json, String... headers) {
        return Http.post(jolokia, json, headers);
    }

    private static String exec(String route, String operation) {
        return "{\"type\":\"exec\",\"mbean\":\"" + String.format(ROUTE, route).replace("\"", "\\\"")
                + "\",\"operation\":\"" + operation + "\"}";
    }

    private static String routeState(String route) {
        String name = String.format(ROUTE, route).replace("\"", "%22");
        return get("/read/" + name + "/State").body();
    }

    @Test
    void jvmArgumentsAndSystemPropertiesAreNotReadable() {
        // the secret is there to be found: plain JMX (not exposed by the relay) shows it
        assertThat(String.join(" ", (String[]) jmx.attribute("java.lang:type=Runtime", "InputArguments"))).contains(SECRET);

        assertThat(get("/read/java.lang:type=Runtime/InputArguments").body()).contains("\"status\":403").doesNotContain(SECRET);
        assertThat(get("/read/java.lang:type=Runtime/SystemProperties").body()).contains("\"status\":403").doesNotContain(SECRET);
        HttpResponse<String> runtime = get("/read/java.lang:type=Runtime?ignoreErrors=true");
        assertThat(runtime.body()).contains("\"Uptime\"").contains("\"VmName\"").doesNotContain(SECRET);

        HttpResponse<String> everything = post("{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}");
        assertThat(everything.body()).contains("java.lang:type=Memory").contains("io.influxrelay:type=Backend,name=a")
                .doesNotContain(SECRET);
        HttpResponse<String> everythingOverGet = get("/read/*:*?ignoreErrors=true");
        assertThat(everythingOverGet.body()).contains("org.apache.camel:").doesNotContain(SECRET);
        HttpResponse<String> list = get("/list");
        assertThat(list.body()).contains("\"status\":200").contains("com.sun.management").doesNotContain(SECRET);

        // the operations that print them are refused (exec is only allowed on Camel routes)
        for (String op : List.of("vmSystemProperties", "vmCommandLine")) {
            String body = post("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\""
                    + op + "\",\"arguments\":[]}").body();
            assertThat(body).as(op).contains("\"status\":403").doesNotContain(SECRET);
        }
        String vmOption = post("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"getVMOption\",\"arguments\":[\"HeapDumpPath\"]}").body();
        assertThat(vmOption).contains("\"status\":403");
        assertThat(post(exec("http", "dumpRouteAsXml(boolean)").replace("}", ",\"arguments\":[true]}")).body())
                .doesNotContain(SECRET);
    }

    @Test
    void operationsNeedAPostFromTheManagementPortsOwnOriginOrNone() {
        String probe = String.format(ROUTE, "health-probe").replace("\"", "%22");
        assertThat(get("/exec/" + probe + "/stop()").statusCode()).isEqualTo(403);
        assertThat(get("/?p=/exec/" + probe + "/stop()").statusCode()).isEqualTo(403);
        assertThat(routeState("health-probe")).contains("Started");

        HttpResponse<String> foreign = post(exec("health-probe", "stop()"), "Origin", "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("http://evil.example".replace("/", "\\/"));
        assertThat(post(exec("health-probe", "stop()"), "Referer", "http://evil.example/page.html").statusCode()).isEqualTo(403);
        assertThat(routeState("health-probe")).contains("Started");

        // reads stay open to GET (curl) and to POSTs from other pages (Hawtio's proxy passes its origin on)
        assertThat(get("/read/io.influxrelay:type=Backend,name=a/State").body()).contains("\"status\":200");
        assertThat(post("{\"type\":\"read\",\"mbean\":\"io.influxrelay:type=Backend,name=a\",\"attribute\":\"State\"}",
                "Origin", "http://evil.example").body()).contains("\"status\":200");

        assertThat(post(exec("health-probe", "stop()")).body()).contains("\"status\":200");
        assertThat(routeState("health-probe")).contains("Stopped");
        String own = "http://127.0.0.1:" + managementPort;
        assertThat(post(exec("health-probe", "start()"), "Origin", own).body()).contains("\"status\":200");
        assertThat(routeState("health-probe")).contains("Started");
        // an origin the operator named (Hawtio's) may act too
        assertThat(post(exec("health-probe", "stop()"), "Origin", HAWTIO).body()).contains("\"status\":200");
        assertThat(post(exec("health-probe", "start()"), "Origin", HAWTIO).body()).contains("\"status\":200");
        assertThat(routeState("health-probe")).contains("Started");
    }

    @Test
    void theRelaysOperationsAreOnTheManagementPortOnlyAndRefuseOtherSitesAndBadRequests() {
        String operations = "http://127.0.0.1:" + managementPort + "/relay";
        String check = "{\"from\":\"a\",\"to\":\"b\",\"db\":\"acc\",\"start\":0,\"end\":\"2030-01-01T00:00:00Z\"}";
        // another site's page cannot start a resync or a check
        HttpResponse<String> foreign = Http.post(operations + "/resync", check, "Origin", "http://evil.example",
                "Content-Type", "application/json");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(Http.request("GET", operations + "/jobs").body()).doesNotContain("resync-");
        // bad requests get a reason
        HttpResponse<String> unknown = Http.post(operations + "/check", check.replace("\"b\"", "\"nope\""),
                "Content-Type", "application/json");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown backend: nope");
        HttpResponse<String> garbled = Http.post(operations + "/check", "{\"from\":", "Content-Type", "application/json");
        assertThat(garbled.statusCode()).isEqualTo(400);
        assertThat(garbled.body()).contains("\"error\"", "not JSON");
        assertThat(Http.post(operations + "/check", check.replace("\"start\":0", "\"start\":\"yesterday\""),
                "Content-Type", "application/json").body()).contains("not an RFC 3339 time");
        // a good one runs, and is followed by its id
        HttpResponse<String> started = Http.post(operations + "/check", check, "Content-Type", "application/json");
        assertThat(started.statusCode()).isEqualTo(202);
        String id = started.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.request("GET", operations + "/jobs/" + id).body().contains("\"state\":\"done\""));
        assertThat(Http.request("GET", operations + "/jobs/nope").statusCode()).isEqualTo(404);
        // never on the write port
        assertThat(Http.post(relay.url() + "/relay/check", check, "Content-Type", "application/json").statusCode()).isEqualTo(404);
    }

    @Test
    void theRoutesOfEachBackendCannotBeStopped() {
        for (String route : List.of("backend-b", "send-b", "buffer-b", "replay-b")) {
            assertThat(post(exec(route, "stop()")).body()).as(route).contains("\"status\":403");
            assertThat(routeState(route)).as(route).contains("Started");
        }
        assertThat(post(exec("fanout", "stop()")).body()).contains("\"status\":403");
        // what Hawtio shows of them stays readable
        assertThat(post(exec("send-b", "dumpRouteStatsAsXml(boolean,boolean)").replace("}", ",\"arguments\":[false,false]}")).body())
                .contains("\"status\":200");
    }

    @Test
    void aBackendWhoseRouteIsStoppedOverJmxMissesWritesLikeADownBackend() {
        for (String route : List.of("send-b", "backend-b")) {
            String before = metrics();
            jmx.invoke(String.format(ROUTE, route), "stop");
            try {
                long started = System.nanoTime();
                HttpResponse<String> write = Http.post(relay.url() + "/write?db=acc&precision=s",
                        "stopped,route=" + route + " v=1 1700000000");
                assertThat(write.statusCode()).isEqualTo(204);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answer time").isLessThan(Duration.ofSeconds(2));

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String after = metrics();
                    assertThat(sample(after, "relay_backend_failures_total", "backend=\"b\",cause=\"stopped\""))
                            .as(route + ": failure counted").isGreaterThan(sample(before, "relay_backend_failures_total",
                                    "backend=\"b\",cause=\"stopped\""));
                    assertThat(sample(after, "relay_buffer_accepted_writes_total", "backend=\"b\""))
                            .as(route + ": write buffered").isGreaterThan(sample(before, "relay_buffer_accepted_writes_total",
                                    "backend=\"b\""));
                });
                if (route.equals("send-b")) { // the backend's own route notes the error; a stopped entry route cannot
                    assertThat(Http.request("GET", relay.url() + "/status").body())
                            .contains("DirectConsumerNotAvailableException").contains("send-b");
                }
                // the buffer's replay does not go through the stopped route: the point arrives
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                        assertThat(b.query("acc", "SELECT count(v) FROM stopped WHERE \"route\"='" + route + "'")).contains(",1]"));
            } finally {
                jmx.invoke(String.format(ROUTE, route), "start");
            }
        }
        assertThat(a.query("acc", "SELECT count(v) FROM stopped")).contains(",2]");
    }

    private static String metrics() {
        return Http.request("GET", relay.url() + "/metrics").body();
    }

    /** The sum of a Prometheus sample over the series that carry these labels. */
    private static double sample(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels.split(",")) {
                all &= found.contains(label);
            }
            if (all) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
