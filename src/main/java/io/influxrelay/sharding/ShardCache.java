package io.influxrelay.sharding;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shards of the measurements seen so far, by database and the measurement's raw bytes as they stand
 * in the lines, so that a line costs a lookup instead of decoding its name and hashing it onto the ring.
 * Bounded: beyond {@value #MAX_KEYS} keys new ones are computed each time, never stored.
 */
final class ShardCache {
    static final int MAX_KEYS = 100_000;

    /** The shard of a key, and the shard it had before the shards were added (the same when none were). */
    record Shards(int shard, int previous) {
    }

    private final Map<String, Map<RawName, Shards>> byDatabase = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();

    Shards get(String db, byte[] b, int from, int to) {
        Map<String, Map<RawName, Shards>> dbs = byDatabase;
        Map<RawName, Shards> names = dbs.get(db);
        return names == null ? null : names.get(new RawName(b, from, to));
    }

    void put(String db, byte[] b, int from, int to, Shards shards) {
        if (size.get() >= MAX_KEYS) {
            return;
        }
        if (byDatabase.computeIfAbsent(db, d -> new ConcurrentHashMap<>()).putIfAbsent(new RawName(Arrays.copyOfRange(b, from, to), 0, to - from), shards) == null) {
            size.incrementAndGet();
        }
    }

    /**
     * A measurement as it stands in line protocol (escapes and all), compared by content: a range of a
     * line's array for a lookup (no copy), its own array when stored.
     */
    private static final class RawName {
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        RawName(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RawName other && hash == other.hash
                    && Arrays.equals(bytes, from, to, other.bytes, other.from, other.to);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
