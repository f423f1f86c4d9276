package io.influxrelay.it;

import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real InfluxDB clients pointed at the relay as if it were one InfluxDB server. */
class ClientsIT {
    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("clients");
        b.createDatabase("clients");
        relay = RelayProcess.inFrontOf(a, b, Map.of());
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theInfluxCliInsertsThroughTheRelay() throws Exception {
        // the CLI pings first (and reads the version header), then INSERT posts to /write
        String out = run(List.of("influx", "-host", "127.0.0.1", "-port", Integer.toString(relay.port()),
                "-database", "clients", "-execute", "INSERT cli,via=influx v=42 1000000000"));
        assertThat(out).doesNotContain("ERR");
        await().untilAsserted(() -> {
            assertThat(a.query("clients", "SELECT * FROM cli")).contains("[1000000000,42,\"influx\"]");
            assertThat(b.query("clients", "SELECT * FROM cli")).contains("[1000000000,42,\"influx\"]");
        });
    }

    @Test
    void thePythonClientLibraryWritesThroughTheRelay() throws Exception {
        String script = """
                from influxdb import InfluxDBClient
                c = InfluxDBClient('127.0.0.1', %d, database='clients')
                print('version', c.ping())
                c.write_points([{'measurement': 'py', 'tags': {'lib': 'influxdb-python'},
                                 'time': 2000000000, 'fields': {'v': 7.5}}], time_precision='s')
                try:
                    c.write_points([{'measurement': 'py', 'fields': {'v': 1}}], database='nosuchdb')
                except Exception as e:
                    print('refused', type(e).__name__, e.code)
                """.formatted(relay.port());
        String out = run(List.of("/usr/bin/python3", "-c", script));
        assertThat(out).contains("version 1.").contains("refused InfluxDBClientError 404");
        await().untilAsserted(() -> {
            assertThat(a.query("clients", "SELECT * FROM py")).contains("[2000000000000000000,\"influxdb-python\",7.5]");
            assertThat(b.query("clients", "SELECT * FROM py")).contains("[2000000000000000000,\"influxdb-python\",7.5]");
        });
    }
}
