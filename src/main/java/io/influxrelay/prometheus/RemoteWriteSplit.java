package io.influxrelay.prometheus;

import io.influxrelay.sharding.ShardLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a remote write among the shards by each series' key, as a line-protocol write is split: the
 * database, the metric name (InfluxDB's measurement) and, under a {@code tag=<key>} shard key, the value of
 * the label of that name. Each shard gets a WriteRequest of its series, byte-identical, compressed again; a
 * request whose series all belong to one shard goes to it as the client sent it, byte for byte. During a
 * rebalance a series whose shard changed goes to its old shard too, as lines do.
 */
final class RemoteWriteSplit {
    /** One shard's part: its index, the snappy body, its samples. */
    record Part(int shard, byte[] body, int samples) {
    }

    private RemoteWriteSplit() {
    }

    static List<Part> of(ShardLayout layout, String db, byte[] compressed, RemoteWriteRequest request) {
        List<List<RemoteWriteRequest.Series>> byShard = new ArrayList<>();
        for (int i = 0; i < layout.size(); i++) {
            byShard.add(new ArrayList<>());
        }
        for (RemoteWriteRequest.Series s : request.series()) {
            String metric = s.metric() == null ? "" : s.metric();
            int shard = layout.shardOf(db, metric, s.label());
            byShard.get(shard).add(s);
            int previous = layout.previousShardOf(db, metric, s.label());
            if (previous != shard) {
                byShard.get(previous).add(s); // a key on the move: its old shard gets it too, until the rebalance ends
            }
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < byShard.size(); i++) {
            List<RemoteWriteRequest.Series> series = byShard.get(i);
            if (series.isEmpty()) {
                continue;
            }
            int samples = series.stream().mapToInt(RemoteWriteRequest.Series::samples).sum();
            byte[] body = series.size() == request.series().size() ? compressed
                    : SnappyBlock.compress(request.of(series));
            parts.add(new Part(i, body, samples));
        }
        return parts;
    }
}
