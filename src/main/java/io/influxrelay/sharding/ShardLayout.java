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
    private final ShardConfig config;

    public ShardLayout(ShardConfig config, List<BackendConfig> all) {
        this.config = config;
        this.shards = config.shards();
        Map<String, BackendConfig> byName = new java.util.HashMap<>();
        all.forEach(b -> byName.put(b.name(), b));
        this.backends = shards.stream().map(s -> s.backends().stream().map(byName::get).toList()).toList();
        this.ring = new ShardRing(shards.stream().map(ShardConfig.Shard::name).toList());
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
