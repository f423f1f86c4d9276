package io.influxrelay.sharding;

import java.util.Arrays;

/**
 * The lines of one write, by shard, as ranges of the scan's arrays (which stay as they are), consecutive
 * lines of one shard as one range: each shard's body is copied out once, at its exact size, when asked for.
 */
final class ShardBodies {
    private final int[] points;
    private final int[] bytes;
    /** The ranges, in order: array, from, to, shard. */
    private byte[][] rangeArray = new byte[16][];
    private int[] rangeFrom = new int[16];
    private int[] rangeTo = new int[16];
    private int[] rangeShard = new int[16];
    private int ranges;

    ShardBodies(int shards) {
        this.points = new int[shards];
        this.bytes = new int[shards];
    }

    /** One line, {@code b[from, to)} with its '\n', for {@code shard}. */
    void add(int shard, byte[] b, int from, int to) {
        points[shard]++;
        bytes[shard] += to - from;
        int last = ranges - 1;
        if (last >= 0 && rangeShard[last] == shard && rangeArray[last] == b && rangeTo[last] == from) {
            rangeTo[last] = to;
            return;
        }
        if (ranges == rangeFrom.length) {
            int more = ranges * 2;
            rangeArray = Arrays.copyOf(rangeArray, more);
            rangeFrom = Arrays.copyOf(rangeFrom, more);
            rangeTo = Arrays.copyOf(rangeTo, more);
            rangeShard = Arrays.copyOf(rangeShard, more);
        }
        rangeArray[ranges] = b;
        rangeFrom[ranges] = from;
        rangeTo[ranges] = to;
        rangeShard[ranges] = shard;
        ranges++;
    }

    int points(int shard) {
        return points[shard];
    }

    /** The lines of {@code shard} in one new array, or null when it has none. */
    byte[] body(int shard) {
        if (points[shard] == 0) {
            return null;
        }
        byte[] body = new byte[bytes[shard]];
        int at = 0;
        for (int r = 0; r < ranges; r++) {
            if (rangeShard[r] == shard) {
                int length = rangeTo[r] - rangeFrom[r];
                System.arraycopy(rangeArray[r], rangeFrom[r], body, at, length);
                at += length;
            }
        }
        return body;
    }
}
