package io.influxrelay.prometheus;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.ShardConfig;
import io.influxrelay.query.CaughtUpReplicas;
import io.influxrelay.query.QueryRequest;
import io.influxrelay.sharding.ShardLayout;
import io.influxrelay.testing.PromProto;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteReadReaderTest {
    private static final List<BackendConfig> BACKENDS = List.of(backend("a"), backend("b"), backend("c"), backend("d"));
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    private static BackendConfig backend(String name) {
        return new BackendConfig(name, URI.create("http://127.0.0.1:1"), null, Duration.ofSeconds(1), 0, 1024, Duration.ofSeconds(1), null, 1024);
    }

    private static ShardLayout layout(String tag, List<String> previous) {
        return new ShardLayout(new ShardConfig(List.of(new ShardConfig.Shard("s1", List.of("a", "b")),
                new ShardConfig.Shard("s2", List.of("c", "d"))), true, tag, previous), BACKENDS);
    }

    private static Exchange read(ShardLayout layout, String query, byte[] readRequest) {
        Exchange e = new DefaultExchange(CAMEL);
        e.getIn().setHeader(Exchange.HTTP_RAW_QUERY, query);
        e.getIn().setBody(PromProto.snappy(readRequest));
        new RemoteReadReader(layout, 1 << 20).process(e);
        return e;
    }

    private static byte[] byName(String metric) {
        return PromProto.readRequest(0, 1, new Object[]{0, "__name__", metric}, new Object[]{0, "job", "x"});
    }

    @Test
    void aReadNamingOneMetricGoesToItsShardOnly() {
        ShardLayout layout = layout(null, List.of());
        for (String metric : List.of("up", "node_load1", "http_requests_total", "go_goroutines")) {
            Exchange e = read(layout, "db=prom", byName(metric));
            assertThat(e.getProperty(CaughtUpReplicas.ONLY)).isEqualTo(layout.backends(layout.shardOf("prom", metric))
                    .stream().map(BackendConfig::name).toList());
            assertThat(e.getProperty(RemoteShardReads.READS)).isNull();
            assertThat(e.getProperty(QueryRequest.PROPERTY, QueryRequest.class).rawQuery()).isEqualTo("db=prom");
        }
    }

    @Test
    void aReadWithoutAMetricNameOrUnderATagKeyAsksEveryShard() {
        Exchange regex = read(layout(null, List.of()), "db=prom", PromProto.readRequest(0, 1, new Object[]{2, "__name__", "up|down"}));
        assertThat(regex.getProperty(RemoteShardReads.READS, List.class)).hasSize(2);
        assertThat(regex.getProperty(CaughtUpReplicas.ONLY)).isNull();
        Exchange tagKey = read(layout("instance", List.of()), "db=prom", byName("up"));
        assertThat(tagKey.getProperty(RemoteShardReads.READS, List.class)).hasSize(2);
    }

    @Test
    void duringARebalanceOnlyTheOldShardsWhichHoldEveryKeyWholeAreAsked() {
        Exchange e = read(layout(null, List.of("s1")), "db=prom", PromProto.readRequest(0, 1, new Object[]{2, "__name__", ".+"}));
        List<?> reads = e.getProperty(RemoteShardReads.READS, List.class);
        assertThat(reads).singleElement().satisfies(r -> assertThat(((RemoteShardReads.ShardRead) r).backends()).containsExactly("a", "b"));
        Exchange named = read(layout(null, List.of("s1")), "db=prom", byName("anything"));
        assertThat(named.getProperty(CaughtUpReplicas.ONLY)).isEqualTo(List.of("a", "b"));
    }

    @Test
    void withoutShardsAnyCaughtUpBackendAnswersAndABadBodyIsA400() {
        Exchange e = read(null, "db=prom", byName("up"));
        assertThat(e.getProperty(CaughtUpReplicas.ONLY)).isNull();
        assertThat(e.getProperty(RemoteShardReads.READS)).isNull();

        Exchange bad = new DefaultExchange(CAMEL);
        bad.getIn().setBody("not snappy".getBytes());
        new RemoteReadReader(null, 1 << 20).process(bad);
        assertThat(bad.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(bad.isRouteStop()).isTrue();

        Exchange noDb = read(layout(null, List.of()), "", byName("up"));
        assertThat(noDb.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
    }
}
