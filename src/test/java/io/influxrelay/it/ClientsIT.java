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

    @Test
    void anInteractiveInfluxSessionRunsStatementsAndWritesThroughTheRelay() throws Exception {
        String session = RelayProcess.projectDir().resolve("src/test/resources/clients/influx-session.py").toString();
        String out = run(List.of("/usr/bin/python3", session, Integer.toString(relay.port()),
                "CREATE DATABASE cli_session", "USE cli_session", "INSERT session,via=cli v=3 3000000000",
                "SELECT * FROM session", "SHOW DATABASES"));
        assertThat(out).doesNotContain("ERR").contains("Using database cli_session")
                .contains("1970-01-01T00:00:03Z 3 cli").contains("cli_session");
        for (Influxd server : new Influxd[]{a, b}) {
            assertThat(server.query("cli_session", "SELECT * FROM session")).contains("[3000000000,3,\"cli\"]");
        }
    }

    @Test
    void thePythonClientManagesSchemaAndQueriesThroughTheRelay() throws Exception {
        String script = """
                import time
                from influxdb import InfluxDBClient
                c = InfluxDBClient('127.0.0.1', %d, database='py_schema')
                now = int(time.time())
                c.create_database('py_schema')
                c.create_retention_policy('fortnight', '14d', 1, database='py_schema')
                c.write_points([{'measurement': 'pyq', 'tags': {'n': str(i)}, 'time': now - i, 'fields': {'v': i}}
                                for i in range(1, 251)], time_precision='s', retention_policy='fortnight')
                print('count', list(c.query('SELECT count(v) FROM fortnight.pyq').get_points())[0]['count'])
                chunks = c.query('SELECT v FROM fortnight.pyq', chunked=True, chunk_size=100)
                print('chunked', sum(len(list(part.get_points())) for part in chunks))
                print('rps', sorted(rp['name'] for rp in c.get_list_retention_policies('py_schema')))
                """.formatted(relay.port());
        String out = run(List.of("/usr/bin/python3", "-c", script));
        assertThat(out).contains("count 250").contains("chunked 250").contains("'fortnight'");
        for (Influxd server : new Influxd[]{a, b}) {
            assertThat(server.query("py_schema", "SHOW RETENTION POLICIES")).contains("\"fortnight\"");
            assertThat(server.query("py_schema", "SELECT count(v) FROM fortnight.pyq")).contains(",250]");
        }
    }

    @Test
    void theJavaClientManagesSchemaWritesAndQueriesThroughTheRelay() {
        try (org.influxdb.InfluxDB influx = org.influxdb.InfluxDBFactory.connect(relay.url())) {
            assertThat(influx.ping().getVersion()).startsWith("1.");
            influx.query(new org.influxdb.dto.Query("CREATE DATABASE java_client"));
            influx.setDatabase("java_client");
            influx.write(org.influxdb.dto.Point.measurement("jvm").time(4, TimeUnit.SECONDS)
                    .tag("lib", "influxdb-java").addField("v", 4L).build());
            org.influxdb.dto.QueryResult result = influx.query(new org.influxdb.dto.Query("SELECT * FROM jvm", "java_client"));
            assertThat(result.hasError()).isFalse();
            assertThat(result.getResults().get(0).getSeries().get(0).getValues()).hasSize(1);
        }
        for (Influxd server : new Influxd[]{a, b}) {
            assertThat(server.query("java_client", "SELECT * FROM jvm")).contains("[4000000000,\"influxdb-java\",4]");
        }
    }
}
