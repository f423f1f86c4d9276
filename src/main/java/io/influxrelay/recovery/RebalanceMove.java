package io.influxrelay.recovery;

/**
 * One key of a rebalance: a database's measurement whose shard changed when shards were added, copied
 * from its old shard to its new one.
 *
 * @param points the points it holds on its old shard when planned (the most any of its fields counts)
 * @param state  pending, copied (and checked: reads may switch), or dropped (deleted from the old shard)
 */
public record RebalanceMove(String db, String measurement, String fromShard, String toShard, long points, String state) {
    public static final String PENDING = "pending";
    public static final String COPIED = "copied";
    public static final String DROPPED = "dropped";

    RebalanceMove with(String newState) {
        return new RebalanceMove(db, measurement, fromShard, toShard, points, newState);
    }

    boolean sameKey(RebalanceMove other) {
        return db.equals(other.db) && measurement.equals(other.measurement);
    }
}
