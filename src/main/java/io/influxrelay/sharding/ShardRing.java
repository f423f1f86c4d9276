package io.influxrelay.sharding;

import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The consistent-hash ring that maps a shard key to a shard. Each shard stands on the ring at
 * {@value #POINTS_PER_SHARD} points, the MurmurHash3 (x86, 32 bit, seed {@value #SEED}, as commons-codec
 * computes it) of "NAME#i" in UTF-8; a key belongs to the first point at or after its own hash, wrapping
 * around. Every relay with the same shard names computes the same ring, and adding a shard takes over
 * only the keys that fall just before its points: about 1/n of them.
 */
public final class ShardRing {
    static final int POINTS_PER_SHARD = 256;
    static final int SEED = 104729;

    private final TreeMap<Integer, Integer> points = new TreeMap<>();
    private final int shards;

    /** @param shardNames in configured order; a key's shard is an index into it */
    public ShardRing(List<String> shardNames) {
        this.shards = shardNames.size();
        for (int s = 0; s < shardNames.size(); s++) {
            for (int i = 0; i < POINTS_PER_SHARD; i++) {
                // a collision is astronomically rare; the first shard keeps the point, on every relay alike
                points.putIfAbsent(hash(shardNames.get(s) + "#" + i), s);
            }
        }
    }

    /** The shard (index) of a key given as UTF-8 bytes. */
    public int shardOf(byte[] key, int offset, int length) {
        if (shards == 1) {
            return 0;
        }
        Map.Entry<Integer, Integer> at = points.ceilingEntry(MurmurHash3.hash32x86(key, offset, length, SEED));
        return (at != null ? at : points.firstEntry()).getValue();
    }

    public int shardOf(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return shardOf(bytes, 0, bytes.length);
    }

    private static int hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return MurmurHash3.hash32x86(b, 0, b.length, SEED);
    }
}
