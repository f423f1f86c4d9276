package io.influxrelay.recovery;

/** A retention policy as SHOW RETENTION POLICIES lists it; durations in Go's form ("168h0m0s", "0s"). */
record RetentionPolicy(String name, String duration, String shardGroupDuration, int replicaN, boolean isDefault) {

    /** The clauses CREATE RETENTION POLICY and CREATE DATABASE ... WITH take: DURATION, REPLICATION, SHARD DURATION. */
    String clauses() {
        return "DURATION " + InfluxQl.duration(duration) + " REPLICATION " + replicaN
                + " SHARD DURATION " + InfluxQl.duration(shardGroupDuration);
    }
}
