package io.influxrelay.config;

import java.util.List;

/**
 * How backends form shards (replica sets) and what a point's shard is decided by.
 *
 * @param shards   in configured order; without relay.shards, one shard holding every backend
 * @param keyByTag the tag whose value joins db and measurement in the shard key (relay.shard-key
 *                 db,measurement,tag=KEY); null when the key is db and measurement (or db alone)
 * @param byMeasurement false when the key is the database alone (relay.shard-key=db)
 * @param previous the shard names before the last change (relay.shards.previous), empty when none
 */
public record ShardConfig(List<Shard> shards, boolean byMeasurement, String keyByTag, List<String> previous) {

    public ShardConfig(List<Shard> shards, boolean byMeasurement, String keyByTag) {
        this(shards, byMeasurement, keyByTag, List.of());
    }

    /**
     * A rebalance is under way (relay.shards.previous names the shard list before shards were added):
     * keys whose shard changed are written to their old and new shard, and read from the old one.
     */
    public boolean rebalancing() {
        return !previous.isEmpty();
    }

    /** One replica set: every point of its keys goes to each of its backends. */
    public record Shard(String name, List<String> backends) {
    }

    /** More than one shard: lines are split, reads routed. */
    public boolean sharded() {
        return shards.size() > 1 || previous.size() > 1;
    }

    /** The shard key as configured, e.g. db,measurement. */
    public String key() {
        return "db" + (byMeasurement ? ",measurement" : "") + (keyByTag == null ? "" : ",tag=" + keyByTag);
    }
}
