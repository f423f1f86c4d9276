package io.influxrelay.sharding;

import io.influxrelay.lineprotocol.ByteSink;
import io.influxrelay.lineprotocol.PointKeys;
import io.influxrelay.lineprotocol.ValidLines;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits one write's valid lines among the shards as the scanner hands them over: each line is copied
 * into the body of its shard. Consecutive lines of the same measurement (a Telegraf batch is grouped so)
 * reuse the shard found for the first, compared byte for byte, so most lines cost a copy and a compare.
 */
public final class ShardSplitter implements ValidLines {
    private final ShardLayout layout;
    private final String db;
    private final ByteSink[] bodies;
    private final int[] points;
    private byte[] lastMeasurement = new byte[0];
    private int lastShard = -1;
    private int lastPrevious = -1;

    private final ShardMetrics metrics;
    private final ShardCache cache;

    public ShardSplitter(ShardLayout layout, String db, ShardMetrics metrics) {
        this(layout, db, metrics, null);
    }

    /** {@code cache}: the shards of measurements seen before, shared by every write; null: none. */
    ShardSplitter(ShardLayout layout, String db, ShardMetrics metrics, ShardCache cache) {
        this.cache = cache;
        this.layout = layout;
        this.metrics = metrics;
        this.db = db;
        this.bodies = new ByteSink[layout.size()];
        this.points = new int[layout.size()];
    }

    @Override
    public void line(byte[] b, int from, int to) {
        int shard = shardOf(b, from, to);
        append(shard, b, from, to);
        if (lastPrevious != shard) {
            append(lastPrevious, b, from, to); // a key on the move: its old shard gets it too, until the rebalance ends
        }
    }

    private void append(int shard, byte[] b, int from, int to) {
        if (bodies[shard] == null) {
            bodies[shard] = new ByteSink(Math.max(256, (to - from) * 16));
        }
        bodies[shard].append(b, from, to - from);
        points[shard]++;
    }

    private int shardOf(byte[] b, int from, int to) {
        if (!layout.byMeasurement()) {
            if (lastShard < 0) {
                lastShard = layout.shardOf(db, null, null);
                lastPrevious = layout.previousShardOf(db, null, null);
            }
            return lastShard;
        }
        int end = PointKeys.measurementEnd(b, from, to);
        if (layout.keyByTag() == null && lastShard >= 0 && Arrays.equals(lastMeasurement, 0, lastMeasurement.length, b, from, end)) {
            return lastShard;
        }
        ShardCache.Shards known = layout.keyByTag() == null && cache != null ? cache.get(db, b, from, end) : null;
        int shard;
        if (known != null) {
            shard = known.shard();
            lastPrevious = known.previous();
        } else {
            String measurement = PointKeys.measurement(b, from);
            String tag = layout.keyByTag() == null ? null : PointKeys.tagValue(b, from, to, layout.keyByTag());
            shard = layout.shardOf(db, measurement, tag);
            lastPrevious = layout.previousShardOf(db, measurement, tag);
            if (metrics != null) {
                metrics.key(shard, db, measurement);
            }
            if (tag == null && cache != null) {
                cache.put(db, b, from, end, new ShardCache.Shards(shard, lastPrevious));
            }
        }
        lastMeasurement = Arrays.copyOfRange(b, from, end);
        lastShard = shard;
        return shard;
    }

    /** The lines of shard {@code i}, or null when the write has none for it. */
    public byte[] body(int shard) {
        ByteSink sink = bodies[shard];
        return sink == null ? null : Arrays.copyOf(sink.array(), sink.size());
    }

    public int points(int shard) {
        return points[shard];
    }

    /** The key a line's shard is decided by, as the ring hashes it: db, measurement and tag value, '\n' apart. */
    static byte[] key(String db, String measurement, String tagValue) {
        StringBuilder k = new StringBuilder(db);
        if (measurement != null) {
            k.append('\n').append(measurement);
        }
        if (tagValue != null) {
            k.append('\n').append(tagValue);
        }
        return k.toString().getBytes(StandardCharsets.UTF_8);
    }
}
