/**
 * Reads over shards (issue 14), pure Java: {@link io.influxrelay.sharding.ReadScope} tells which measurements a
 * read statement touches, so which shards must answer it; {@link io.influxrelay.sharding.ShardAnswers} merges
 * their answers into the one a single InfluxDB would give, and {@link io.influxrelay.sharding.ChunkedMerge} their
 * chunked answers as they arrive.
 */
package io.influxrelay.sharding;
