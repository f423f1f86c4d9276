package io.influxrelay.sharding;

import io.influxrelay.lineprotocol.LineRanges;
import io.influxrelay.lineprotocol.PointKeys;
import io.influxrelay.lineprotocol.ValidLines;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits one write's valid lines among the shards as the scanner hands them over, into {@link ShardBodies}
 * (no line is copied: each shard's part is ranges of the scanned write). Consecutive lines of the same
 * measurement (a Telegraf batch is grouped so) reuse the shard found for the first, compared byte for byte,
 * so most lines cost a compare.
 */
public final class ShardSplitter implements ValidLines {
    private final ShardLayout layout;
    private final String db;
    private final ShardBodies bodies;
    /** The measurement of the line before, where it stands in the scan's arrays (which stay as they are). */
    private byte[] lastArray;
    private int lastFrom;
    private int lastTo;
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
        this.bodies = new ShardBodies(layout.size());
    }

    @Override
    public void line(byte[] b, int from, int measurementEnd, int to) {
        int shard = shardOf(b, from, measurementEnd, to);
        bodies.add(shard, b, from, to);
        if (lastPrevious != shard) {
            bodies.add(lastPrevious, b, from, to); // a key on the move: its old shard gets it too, until the rebalance ends
        }
    }

    private int shardOf(byte[] b, int from, int end, int to) {
        if (!layout.byMeasurement()) {
            if (lastShard < 0) {
                lastShard = layout.shardOf(db, null, null);
                lastPrevious = layout.previousShardOf(db, null, null);
            }
            return lastShard;
        }
        if (layout.keyByTag() == null && lastShard >= 0 && Arrays.equals(lastArray, lastFrom, lastTo, b, from, end)) {
            return lastShard;
        }
        ShardCache.Shards known = layout.keyByTag() == null && cache != null ? cache.get(db, b, from, end) : null;
        int shard;
        if (known != null) {
            shard = known.shard();
            lastPrevious = known.previous();
        } else {
            String measurement = PointKeys.measurement(b, from);
            String tag = layout.keyByTag() == null ? null : PointKeys.tagValue(b, end, to, layout.keyByTag());
            shard = layout.shardOf(db, measurement, tag);
            lastPrevious = layout.previousShardOf(db, measurement, tag);
            if (metrics != null) {
                metrics.key(shard, db, measurement);
            }
            if (tag == null && cache != null) {
                cache.put(db, b, from, end, new ShardCache.Shards(shard, lastPrevious));
            }
        }
        lastArray = b;
        lastFrom = from;
        lastTo = end;
        lastShard = shard;
        return shard;
    }

    /** The lines of shard {@code i} as ranges of the scanned write (not copied), or null when it has none. */
    public LineRanges lines(int shard) {
        return bodies.ranges(shard);
    }

    public int points(int shard) {
        return bodies.points(shard);
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
