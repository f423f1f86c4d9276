package io.influxrelay.prometheus;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.ShardConfig;
import io.influxrelay.sharding.ShardLayout;
import io.influxrelay.testing.PromProto;
import io.influxrelay.testing.PromProto.Series;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteWriteSplitTest {
    private static final List<BackendConfig> BACKENDS = List.of(backend("a"), backend("b"), backend("c"), backend("d"));

    private static BackendConfig backend(String name) {
        return new BackendConfig(name, URI.create("http://127.0.0.1:1"), null, Duration.ofSeconds(1), 0, 1024, Duration.ofSeconds(1), null, 1024);
    }

    private static ShardLayout layout(String tag, List<String> previous) {
        return new ShardLayout(new ShardConfig(List.of(new ShardConfig.Shard("s1", List.of("a", "b")),
                new ShardConfig.Shard("s2", List.of("c", "d"))), true, tag, previous), BACKENDS);
    }

    private static List<Series> series() {
        List<Series> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(Series.of("metric_" + i, Map.of("job", "node", "instance", "host" + (i % 3)))
                    .sample(1_700_000_000_000L + i, i).sample(1_700_000_001_000L + i, i + 0.5));
        }
        return all;
    }

    @Test
    void eachSeriesGoesWholeAndByteIdenticalToTheShardItsMetricNameHashesTo() throws BadRemoteBody {
        ShardLayout layout = layout(null, List.of());
        List<Series> sent = series();
        byte[] raw = PromProto.writeRequest(sent);
        byte[] body = PromProto.snappy(raw);
        List<RemoteWriteSplit.Part> parts = RemoteWriteSplit.of(layout, "prom", body, RemoteWriteRequest.parse(raw, null));

        assertThat(parts).extracting(RemoteWriteSplit.Part::shard).containsExactly(0, 1);
        List<String> seen = new ArrayList<>();
        for (RemoteWriteSplit.Part part : parts) {
            // a WriteRequest the protobuf library reads, of the series of that shard only
            List<Series> got = PromProto.parseWriteRequest(PromProto.unsnappy(part.body()));
            for (Series s : got) {
                assertThat(layout.shardOf("prom", s.name(), null)).isEqualTo(part.shard());
                assertThat(s).usingRecursiveComparison().isEqualTo(sent.stream().filter(x -> x.name().equals(s.name())).findFirst().orElseThrow());
                seen.add(s.name());
            }
            assertThat(part.samples()).isEqualTo(got.size() * 2);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(sent.stream().map(Series::name).toList());
        // the series' bytes are the client's: the parts together hold exactly the bytes of the request
        int total = parts.stream().mapToInt(p -> PromProto.unsnappy(p.body()).length).sum();
        assertThat(total).isEqualTo(raw.length);
    }

    @Test
    void aRequestWhoseSeriesAllLiveOnOneShardIsPassedOnAsTheClientSentIt() throws BadRemoteBody {
        ShardLayout layout = layout(null, List.of());
        List<Series> one = series().stream().filter(s -> layout.shardOf("prom", s.name(), null) == 1).toList();
        byte[] raw = PromProto.writeRequest(one);
        byte[] body = PromProto.snappy(raw);
        List<RemoteWriteSplit.Part> parts = RemoteWriteSplit.of(layout, "prom", body, RemoteWriteRequest.parse(raw, null));
        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.shard()).isEqualTo(1);
            assertThat(p.body()).isSameAs(body);
        });
    }

    @Test
    void underATagShardKeyTheLabelOfThatNameJoinsTheKey() throws BadRemoteBody {
        ShardLayout layout = layout("instance", List.of());
        byte[] raw = PromProto.writeRequest(series());
        List<RemoteWriteSplit.Part> parts = RemoteWriteSplit.of(layout, "prom", PromProto.snappy(raw), RemoteWriteRequest.parse(raw, "instance"));
        for (RemoteWriteSplit.Part part : parts) {
            for (Series s : PromProto.parseWriteRequest(PromProto.unsnappy(part.body()))) {
                assertThat(layout.shardOf("prom", s.name(), s.labels().get("instance"))).isEqualTo(part.shard());
            }
        }
    }

    @Test
    void duringARebalanceASeriesOnTheMoveAlsoGoesToItsOldShard() throws BadRemoteBody {
        ShardLayout layout = layout(null, List.of("s1"));
        byte[] raw = PromProto.writeRequest(series());
        List<RemoteWriteSplit.Part> parts = RemoteWriteSplit.of(layout, "prom", PromProto.snappy(raw), RemoteWriteRequest.parse(raw, null));
        RemoteWriteSplit.Part old = parts.stream().filter(p -> p.shard() == 0).findFirst().orElseThrow();
        assertThat(PromProto.parseWriteRequest(PromProto.unsnappy(old.body()))).hasSize(20);
    }

    @Test
    void seriesSamplesAndTimesAreReadAsTheProtobufLibraryWroteThem() throws BadRemoteBody {
        byte[] raw = PromProto.writeRequest(series());
        RemoteWriteRequest request = RemoteWriteRequest.parse(raw, "job");
        assertThat(request.series()).hasSize(20);
        assertThat(request.samples()).isEqualTo(40);
        assertThat(request.series().get(3).metric()).isEqualTo("metric_3");
        assertThat(request.series().get(3).label()).isEqualTo("node");
        assertThat(request.series().get(3).minMillis()).isEqualTo(1_700_000_000_003L);
        assertThat(request.series().get(3).maxMillis()).isEqualTo(1_700_000_001_003L);
        var times = RemoteWriteTimes.of(PromProto.snappy(raw));
        assertThat(times.points()).isEqualTo(40);
        assertThat(times.startNs()).isEqualTo(1_700_000_000_000L * 1_000_000L);
        assertThat(times.endNs()).isEqualTo(1_700_000_001_019L * 1_000_000L);
    }

    @Test
    void aBodyThatIsNotSnappyOrNotAWriteRequestIsABadRequest() {
        assertThatThrownBy(() -> SnappyBlock.uncompress("cpu v=1".getBytes(), 1000))
                .isInstanceOfSatisfying(BadRemoteBody.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> SnappyBlock.uncompress(new byte[0], 1000))
                .isInstanceOfSatisfying(BadRemoteBody.class, e -> assertThat(e.status()).isEqualTo(400));
        byte[] notProtobuf = new byte[64];
        Arrays.fill(notProtobuf, (byte) 0xff);
        assertThatThrownBy(() -> RemoteWriteRequest.parse(notProtobuf, null))
                .isInstanceOfSatisfying(BadRemoteBody.class, e -> assertThat(e.status()).isEqualTo(400));
        // a block announcing more than the bound is refused before it is uncompressed
        byte[] big = PromProto.snappy(new byte[10_000]);
        assertThatThrownBy(() -> SnappyBlock.uncompress(big, 1000))
                .isInstanceOfSatisfying(BadRemoteBody.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void theShardsRemoteReadAnswersMergeQueryByQueryIntoOneReadResponse() throws BadRemoteBody {
        Series up1 = Series.of("up", Map.of("instance", "1")).sample(T, 1);
        Series up2 = Series.of("up", Map.of("instance", "2")).sample(T, 0);
        Series load = Series.of("load", Map.of()).sample(T, 0.5).sample(T + 1, 0.25);
        byte[] s1 = PromProto.snappy(PromProto.readResponseOf(List.of(List.of(up1), List.of())));
        byte[] s2 = PromProto.snappy(PromProto.readResponseOf(List.of(List.of(up2), List.of(load))));
        List<List<Series>> merged = PromProto.readResponse(PromProto.unsnappy(RemoteReadMerge.merge(List.of(s1, s2), 1 << 20)));
        assertThat(merged).hasSize(2);
        assertThat(merged.get(0)).usingRecursiveFieldByFieldElementComparator().containsExactly(up1, up2);
        assertThat(merged.get(1)).usingRecursiveFieldByFieldElementComparator().containsExactly(load);
        // a shard with nothing at all (an empty ReadResponse) adds nothing
        assertThat(PromProto.readResponse(PromProto.unsnappy(RemoteReadMerge.merge(List.of(s1, PromProto.snappy(new byte[0])), 1 << 20))))
                .hasSize(2);
    }

    private static final long T = 1_700_000_000_000L;

    @Test
    void aReadNamesTheMetricOfEachQueryByEquality() throws BadRemoteBody {
        assertThat(RemoteReadRequest.metricNames(PromProto.readRequest(0, 10,
                new Object[]{0, "job", "node"}, new Object[]{0, "__name__", "up"}))).containsExactly("up");
        assertThat(RemoteReadRequest.metricNames(PromProto.readRequest(0, 10,
                new Object[]{2, "__name__", "up|down"}))).containsExactly((String) null);
    }
}
