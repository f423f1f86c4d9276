package io.influxrelay.sharding;

import io.influxrelay.lineprotocol.LineRanges;

import java.util.Arrays;

/**
 * The lines of one write, by shard, as ranges of the scan's arrays (which stay as they are), consecutive
 * lines of one shard as one range: each shard's part is handed on as those ranges ({@link LineRanges}), copied
 * into one array only when something keeps it.
 */
final class ShardBodies {
    private final int[] points;
    /** The ranges, in order: array, from, to, shard. */
    private byte[][] rangeArray = new byte[16][];
    private int[] rangeFrom = new int[16];
    private int[] rangeTo = new int[16];
    private int[] rangeShard = new int[16];
    private int ranges;

    ShardBodies(int shards) {
        this.points = new int[shards];
    }

    /** One line, {@code b[from, to)} with its '\n', for {@code shard}. */
    void add(int shard, byte[] b, int from, int to) {
        points[shard]++;
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

    /** The lines of {@code shard} as ranges of the scan's arrays (not copied), or null when it has none. */
    LineRanges ranges(int shard) {
        if (points[shard] == 0) {
            return null;
        }
        int n = 0;
        for (int r = 0; r < ranges; r++) {
            if (rangeShard[r] == shard) {
                n++;
            }
        }
        byte[][] arrays = new byte[n][];
        int[] from = new int[n];
        int[] to = new int[n];
        for (int r = 0, i = 0; r < ranges; r++) {
            if (rangeShard[r] == shard) {
                arrays[i] = rangeArray[r];
                from[i] = rangeFrom[r];
                to[i++] = rangeTo[r];
            }
        }
        return new LineRanges(arrays, from, to);
    }
}
