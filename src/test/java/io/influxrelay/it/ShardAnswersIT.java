package io.influxrelay.it;

import io.influxrelay.query.Statement;
import io.influxrelay.query.StatementClassifier;
import io.influxrelay.sharding.ReadScope;
import io.influxrelay.sharding.ReadScope.AllShards;
import io.influxrelay.sharding.ReadScope.AnyShard;
import io.influxrelay.sharding.ReadScope.Measurements;
import io.influxrelay.sharding.ReadScope.Source;
import io.influxrelay.sharding.ChunkedMerges;
import io.influxrelay.sharding.ShardAnswers;
import io.influxrelay.testing.ChunkedAnswer;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same data written once to an unsharded influxd (c) and split by measurement between two shards (a, b):
 * ShardAnswers' merge of a's and b's answers must be c's answer, byte for byte.
 */
class ShardAnswersIT {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    /** Per database, the measurements; even positions go to shard a, odd ones to b. */
    private static final List<String> SHOP = List.of("cpu", "cpu_load", "cpu2", "Cpu", "mem", "swap", "disk io",
            "q\"x", "ünïcode", "_underscore", "alpha", "zeta", "events", "temp", "net", "orders");
    private static final List<String> OPS = List.of("cpu", "mem", "disk io", "alerts", "build", "deploy", "Zulu",
            "jobs", "queue", "latency", "errors", "logins", "uptime", "backup");
    private static Influxd a;
    private static Influxd b;
    private static Influxd c;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        c = Influxd.start();
        for (Influxd influxd : List.of(a, b, c)) {
            influxd.createDatabase("shop");
            influxd.createDatabase("ops");
        }
        write("shop", SHOP);
        write("ops", OPS);
    }

    @AfterAll
    static void stop() {
        Quietly.close(a);
        Quietly.close(b);
        Quietly.close(c);
    }

    private static void write(String db, List<String> measurements) {
        for (int i = 0; i < measurements.size(); i++) {
            String lines = lines(measurements.get(i), i);
            Influxd shard = i % 2 == 0 ? a : b;
            assertThat(shard.write(db, lines)).isEqualTo(204);
            assertThat(c.write(db, lines)).isEqualTo(204);
        }
    }

    /** Six points per series; tag sets and field types vary with the measurement's position. */
    private static String lines(String measurement, int i) {
        String name = measurement.replace(" ", "\\ ").replace(",", "\\,");
        List<String> tagSets = switch (i % 4) {
            case 0 -> List.of("");
            case 1 -> List.of(",host=h1", ",host=h2");
            case 2 -> List.of(",host=h1,region=eu", ",host=h2,region=us", ",host=h3,region=eu");
            default -> List.of(",dc=d1,host=h1,region=eu", ",dc=d2,host=h2", ",host=h<&>\\ 4");
        };
        StringBuilder out = new StringBuilder();
        for (int t = 0; t < tagSets.size(); t++) {
            for (int p = 0; p < 6; p++) {
                double x = (i * 7 + t * 3 + p) * 1.25;
                String fields = switch (i % 3) {
                    case 0 -> "usage=" + x + ",count=" + (p + t) + "i,ok=" + (p % 2 == 0);
                    case 1 -> "usage=" + (x * 1e20) + ",label=\"l<" + p + ">&\\\"é\\\\n\"";
                    default -> "value=" + (p - 3) + "i,tiny=" + (x / 1e9);
                };
                out.append(name).append(tagSets.get(t)).append(' ').append(fields).append(' ')
                        .append(T0 + (p * 7L + t) * MINUTE).append('\n');
            }
        }
        return out.toString();
    }

    static Stream<Arguments> statements() {
        return Stream.of(
                q("SELECT mean(usage), max(usage), count(usage) FROM cpu WHERE time >= " + T0 + " AND time < "
                        + (T0 + 60 * MINUTE) + " GROUP BY time(10m), host fill(none)", in("shop:cpu")),
                q("SELECT mean(value), sum(value) FROM \"cpu2\" WHERE time >= " + T0 + " AND time < " + (T0 + 60 * MINUTE)
                        + " GROUP BY time(15m), * fill(0)", in("shop:cpu2")),
                q("SELECT * FROM cpu, swap", in("shop:cpu", "shop:swap")),
                q("SELECT * FROM cpu_load, mem WHERE time > " + T0 + " LIMIT 3", in("shop:cpu_load", "shop:mem")),
                q("SELECT * FROM cpu, mem, \"disk io\", \"q\\\"x\" GROUP BY *", in("shop:cpu", "shop:mem", "shop:disk io", "shop:q\"x")),
                q("SELECT usage FROM shop..cpu_load, \"ops\".\"autogen\".\"mem\"", in("shop:cpu_load", "ops:mem")),
                q("SELECT * FROM /cpu.*/", new AllShards()),
                q("SELECT * FROM /.*/ GROUP BY *", new AllShards()),
                q("SELECT count(*) FROM /.*/ GROUP BY host", new AllShards()),
                q("SELECT max(usage) FROM /.*/ GROUP BY region", new AllShards()),
                q("SELECT * FROM /.*/ GROUP BY * ORDER BY time DESC", new AllShards()),
                q("SELECT last(*) FROM /.*/ GROUP BY * ORDER BY time DESC", new AllShards()),
                q("SELECT * FROM /.*/ GROUP BY * LIMIT 2 OFFSET 1", new AllShards()),
                q("SELECT max(m) FROM (SELECT mean(usage) AS m FROM cpu, Cpu GROUP BY time(10m), host) GROUP BY host",
                        in("shop:cpu", "shop:Cpu")),
                q("SELECT * FROM nothing_here", in("shop:nothing_here")),
                q("SHOW MEASUREMENTS", new AllShards()),
                q("SHOW MEASUREMENTS WITH MEASUREMENT =~ /cpu|mem|^[a-z]/", new AllShards()),
                q("SHOW MEASUREMENTS ON ops", new AllShards()),
                q("SHOW MEASUREMENTS WITH MEASUREMENT = cpu", in("shop:cpu")),
                q("SHOW SERIES", new AllShards()),
                q("SHOW SERIES FROM cpu2", in("shop:cpu2")),
                q("SHOW SERIES WHERE host = 'h1'", new AllShards()),
                q("SHOW TAG KEYS", new AllShards()),
                q("SHOW TAG KEYS ON ops FROM cpu, mem", in("ops:cpu", "ops:mem")),
                q("SHOW TAG VALUES WITH KEY = \"host\"", new AllShards()),
                q("SHOW TAG VALUES WITH KEY IN (\"host\", \"region\")", new AllShards()),
                q("SHOW FIELD KEYS", new AllShards()),
                q("SHOW FIELD KEYS ON ops", new AllShards()),
                q("SHOW SERIES EXACT CARDINALITY", new AllShards()),
                q("SHOW MEASUREMENT EXACT CARDINALITY", new AllShards()),
                q("SHOW TAG KEY CARDINALITY", new AllShards()),
                q("SHOW FIELD KEY EXACT CARDINALITY", new AllShards()),
                q("SHOW DATABASES", new AnyShard()),
                q("SHOW RETENTION POLICIES", new AnyShard()),
                q("SELECT max(usage) FROM cpu GROUP BY *; SHOW MEASUREMENTS", in("shop:cpu"), new AllShards()),
                q("SELECT mean(label) FROM temp", in("shop:temp")),
                q("SELECT mean(label) FROM temp; SHOW DATABASES", in("shop:temp"), new AnyShard()),
                q("SELECT count(usage) FROM cpu; SELECT mean(label) FROM temp; SHOW MEASUREMENTS",
                        in("shop:cpu"), in("shop:temp"), new AllShards()),
                q("SELECT * FROM", new AnyShard()));
    }

    @ParameterizedTest
    @MethodSource("statements")
    void theShardsMergedAnswerAsOneInfluxDb(String q, List<ReadScope> scopes) {
        String expected = c.query("shop", q);
        List<byte[]> answers = List.of(bytes(a.query("shop", q)), bytes(b.query("shop", q)));
        List<Statement> statements = StatementClassifier.classify(q).statements();

        assertThat(text(ShardAnswers.merge(answers, statements))).isEqualTo(expected);
        assertThat(text(ShardAnswers.merge(answers))).isEqualTo(expected);
        assertThat(statements.stream().map(s -> ReadScope.of(s, "shop")).toList()).isEqualTo(scopes);
    }

    /** Chunked (2 rows a chunk): the streamed merge of a's and b's chunks says what c's chunks say, chunk boundaries aside. */
    @ParameterizedTest
    @MethodSource("statements")
    void theShardsMergedChunkedAnswersAsOneInfluxDbChunked(String q, List<ReadScope> scopes) {
        String expected = c.queryChunked("shop", q, 2);
        String merged = ChunkedMerges.merge(List.of(a.queryChunked("shop", q, 2), b.queryChunked("shop", q, 2)), q);

        assertThat(ChunkedAnswer.decode(merged)).isEqualTo(ChunkedAnswer.decode(expected));
    }

    @Test
    void aStatementErringOnOneShardOnlyIsThatError() {
        String q = "SELECT mean(label) FROM temp";
        assertThat(a.query("shop", q)).isEqualTo("{\"results\":[{\"statement_id\":0}]}\n");
        assertThat(b.query("shop", q)).contains("\"error\"");
    }

    @Test
    void theDatasetReallyIsSplit() {
        assertThat(a.query("shop", "SHOW MEASUREMENTS")).contains("cpu2").doesNotContain("cpu_load");
        assertThat(b.query("shop", "SHOW MEASUREMENTS")).contains("cpu_load").doesNotContain("cpu2");
        assertThat(c.query("shop", "SHOW MEASUREMENTS")).contains("cpu2", "cpu_load");
    }

    private static Arguments q(String q, ReadScope... scopes) {
        return Arguments.of(q, List.of(scopes));
    }

    private static Measurements in(String... sources) {
        Set<Source> set = Arrays.stream(sources)
                .map(s -> new Source(s.substring(0, s.indexOf(':')), s.substring(s.indexOf(':') + 1)))
                .collect(Collectors.toSet());
        return new Measurements(set);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
