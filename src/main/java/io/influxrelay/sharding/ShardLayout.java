package io.influxrelay.sharding;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.ShardConfig;

import java.util.List;
import java.util.Map;

/**
 * The shards as the relay routes by them: each shard's backends, the ring, and the shard of a key
 * (db, measurement, and the value of the key's tag when it has one). A point whose key tag is missing
 * goes by db and measurement alone.
 */
public final class ShardLayout {
    private final List<ShardConfig.Shard> shards;
    private final List<List<BackendConfig>> backends;
    private final ShardRing ring;
    /** The ring before shards were added (relay.shards.previous), or null; its shards are indexes into ours. */
    private final ShardRing previousRing;
    private final int[] previousIndex;
    private final ShardConfig config;

    public ShardLayout(ShardConfig config, List<BackendConfig> all) {
        this.config = config;
        this.shards = config.shards();
        Map<String, BackendConfig> byName = new java.util.HashMap<>();
        all.forEach(b -> byName.put(b.name(), b));
        this.backends = shards.stream().map(s -> s.backends().stream().map(byName::get).toList()).toList();
        List<String> names = shards.stream().map(ShardConfig.Shard::name).toList();
        this.ring = new ShardRing(names);
        this.previousRing = config.rebalancing() ? new ShardRing(config.previous()) : null;
        this.previousIndex = config.previous().stream().mapToInt(names::indexOf).toArray();
    }

    /** A rebalance is under way: keys whose shard changed live on their old shard until it is done. */
    public boolean rebalancing() {
        return previousRing != null;
    }

    /** The shard a key was on before the shards were added (its own shard when no rebalance is under way). */
    public int previousShardOf(String db, String measurement, String tagValue) {
        if (previousRing == null) {
            return shardOf(db, measurement, tagValue);
        }
        byte[] key = ShardSplitter.key(db, config.byMeasurement() ? measurement : null, tagValue);
        return previousIndex[previousRing.shardOf(key, 0, key.length)];
    }

    /** Where a measurement is read from: its old shard while a rebalance is under way (it holds it whole). */
    public int readShardOf(String db, String measurement) {
        return previousShardOf(db, measurement, null);
    }

    /** The shards that hold every key whole: the previous ones during a rebalance, else all. */
    public int[] wholeShards() {
        return previousRing != null ? previousIndex.clone() : java.util.stream.IntStream.range(0, size()).toArray();
    }

    public int size() {
        return shards.size();
    }

    public boolean sharded() {
        return config.sharded();
    }

    public boolean byMeasurement() {
        return config.byMeasurement();
    }

    public String keyByTag() {
        return config.keyByTag();
    }

    public String name(int shard) {
        return shards.get(shard).name();
    }

    public List<BackendConfig> backends(int shard) {
        return backends.get(shard);
    }

    /** The backends of the shard {@code backend} belongs to, itself included: its replica set. */
    public List<String> replicasOf(String backend) {
        for (List<BackendConfig> shard : backends) {
            if (shard.stream().anyMatch(b -> b.name().equals(backend))) {
                return shard.stream().map(BackendConfig::name).toList();
            }
        }
        return List.of();
    }

    public int shardOf(String db, String measurement, String tagValue) {
        byte[] key = ShardSplitter.key(db, config.byMeasurement() ? measurement : null, tagValue);
        return ring.shardOf(key, 0, key.length);
    }

    /** The shard of a measurement, for reads (with a tag key: the shard of its points that lack the tag). */
    public int shardOf(String db, String measurement) {
        return shardOf(db, measurement, null);
    }
}
