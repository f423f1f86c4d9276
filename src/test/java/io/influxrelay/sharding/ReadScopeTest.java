package io.influxrelay.sharding;

import io.influxrelay.query.StatementClassifier;
import io.influxrelay.sharding.ReadScope.AllShards;
import io.influxrelay.sharding.ReadScope.AnyShard;
import io.influxrelay.sharding.ReadScope.Measurements;
import io.influxrelay.sharding.ReadScope.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ReadScopeTest {

    private static ReadScope scope(String q) {
        return ReadScope.of(StatementClassifier.classify(q).statements().get(0), "telegraf");
    }

    /** Measurements of db "telegraf" unless a name is "db:m". */
    private static Measurements measurements(String... names) {
        return new Measurements(Arrays.stream(names)
                .map(n -> n.contains(":") ? new Source(n.substring(0, n.indexOf(':')), n.substring(n.indexOf(':') + 1))
                        : new Source("telegraf", n))
                .collect(Collectors.toSet()));
    }

    @Test
    void aBareMeasurement() {
        assertThat(scope("SELECT mean(usage) FROM cpu WHERE time > now() - 1h GROUP BY time(1m), host"))
                .isEqualTo(measurements("cpu"));
    }

    @Test
    void aQuotedMeasurementWithInfluxQlsEscapes() {
        assertThat(scope("SELECT * FROM \"cpu load\"")).isEqualTo(measurements("cpu load"));
        assertThat(scope("SELECT * FROM \"q\\\"x\"")).isEqualTo(measurements("q\"x"));
        assertThat(scope("SELECT * FROM \"back\\\\slash\"")).isEqualTo(measurements("back\\slash"));
        assertThat(scope("SELECT * FROM \"FROM\" WHERE a = 'FROM x'")).isEqualTo(measurements("FROM"));
    }

    @Test
    void aDoubledQuoteIsNoEscape() {
        // InfluxQL reads "quoted ""x""" as three identifiers and refuses the statement; the first is its source
        assertThat(scope("SELECT * FROM \"quoted \"\"x\"\"\"")).isEqualTo(measurements("quoted "));
    }

    @Test
    void qualifiedMeasurements() {
        assertThat(scope("SELECT * FROM db.rp.m")).isEqualTo(measurements("db:m"));
        assertThat(scope("SELECT * FROM \"d b\".\"r.p\".\"m.x\"")).isEqualTo(measurements("d b:m.x"));
        assertThat(scope("SELECT * FROM db..m")).isEqualTo(measurements("db:m"));
        assertThat(scope("SELECT * FROM rp.m")).isEqualTo(measurements("m"));
    }

    @Test
    void severalMeasurements() {
        assertThat(scope("SELECT * FROM m1, \"m2\", other.autogen.m3 LIMIT 1")).isEqualTo(measurements("m1", "m2", "other:m3"));
    }

    @Test
    void aRegexSourceNeedsEveryShard() {
        assertThat(scope("SELECT * FROM /cpu.*/")).isEqualTo(new AllShards());
        assertThat(scope("SELECT * FROM cpu, /^mem/")).isEqualTo(new AllShards());
        assertThat(scope("SELECT * FROM db.rp./x/")).isEqualTo(new AllShards());
        assertThat(scope("SELECT * FROM /.*/ GROUP BY *")).isEqualTo(new AllShards());
    }

    @Test
    void aRegexElsewhereIsNoSource() {
        assertThat(scope("SELECT * FROM cpu WHERE host =~ /web.*/")).isEqualTo(measurements("cpu"));
    }

    @Test
    void subqueriesGiveTheirInnerSources() {
        assertThat(scope("SELECT max(m) FROM (SELECT mean(v) AS m FROM cpu GROUP BY time(1m))")).isEqualTo(measurements("cpu"));
        assertThat(scope("SELECT * FROM (SELECT * FROM a, (SELECT v FROM b)), c")).isEqualTo(measurements("a", "b", "c"));
        assertThat(scope("SELECT * FROM (SELECT * FROM /x/)")).isEqualTo(new AllShards());
    }

    @Test
    void showStatementsWithAFrom() {
        assertThat(scope("SHOW TAG KEYS FROM cpu")).isEqualTo(measurements("cpu"));
        assertThat(scope("SHOW FIELD KEYS FROM \"mem\"")).isEqualTo(measurements("mem"));
        assertThat(scope("SHOW SERIES FROM cpu WHERE host = 'a'")).isEqualTo(measurements("cpu"));
        assertThat(scope("SHOW TAG VALUES FROM cpu WITH KEY = \"host\"")).isEqualTo(measurements("cpu"));
        assertThat(scope("SHOW TAG VALUES FROM cpu, mem WITH KEY IN (\"host\", \"region\")")).isEqualTo(measurements("cpu", "mem"));
        assertThat(scope("SHOW SERIES EXACT CARDINALITY FROM cpu")).isEqualTo(measurements("cpu"));
    }

    @Test
    void onNamesTheDatabaseOfTheSources() {
        assertThat(scope("SHOW TAG KEYS ON other FROM cpu")).isEqualTo(measurements("other:cpu"));
        assertThat(scope("SHOW FIELD KEYS ON \"my db\" FROM cpu, x.rp.mem")).isEqualTo(measurements("my db:cpu", "x:mem"));
        assertThat(scope("SHOW MEASUREMENTS ON other WITH MEASUREMENT = cpu")).isEqualTo(measurements("other:cpu"));
    }

    @Test
    void withoutADatabaseTheSourceHasNone() {
        assertThat(ReadScope.of(StatementClassifier.classify("SELECT * FROM cpu").statements().get(0), null))
                .isEqualTo(new Measurements(Set.of(new Source(null, "cpu"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW MEASUREMENTS", "SHOW MEASUREMENTS ON db LIMIT 5", "SHOW MEASUREMENTS WITH MEASUREMENT =~ /cpu/",
            "SHOW SERIES", "SHOW SERIES WHERE host = 'a'", "SHOW TAG KEYS", "SHOW FIELD KEYS ON db",
            "SHOW TAG VALUES WITH KEY = \"host\"", "SHOW SERIES CARDINALITY", "SHOW MEASUREMENT CARDINALITY",
            "SHOW MEASUREMENT EXACT CARDINALITY", "SHOW TAG KEY CARDINALITY", "SHOW MEASUREMENTS WHERE host = 'a'"})
    void measurementListsNeedEveryShard(String q) {
        assertThat(scope(q)).isEqualTo(new AllShards());
    }

    @Test
    void withMeasurementEqualsIsOneMeasurement() {
        assertThat(scope("SHOW MEASUREMENTS WITH MEASUREMENT = cpu")).isEqualTo(measurements("cpu"));
        assertThat(scope("SHOW MEASUREMENTS WITH MEASUREMENT = \"cpu x\" LIMIT 1")).isEqualTo(measurements("cpu x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW DATABASES", "SHOW RETENTION POLICIES ON db", "SHOW USERS", "SHOW GRANTS FOR bob",
            "SHOW CONTINUOUS QUERIES", "SHOW SUBSCRIPTIONS", "SHOW QUERIES", "SHOW STATS", "SHOW STATS FOR 'httpd'",
            "SHOW DIAGNOSTICS", "SHOW SHARDS", "SHOW SHARD GROUPS", "SELECT 1", "SHOW NONSENSE FROM cpu"})
    void theRestAnyShardCanAnswer(String q) {
        assertThat(scope(q)).isEqualTo(new AnyShard());
    }

    @Test
    void explainReadsItsSelect() {
        assertThat(scope("EXPLAIN ANALYZE SELECT count(v) FROM cpu")).isEqualTo(measurements("cpu"));
    }
}
