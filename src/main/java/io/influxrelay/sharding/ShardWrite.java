package io.influxrelay.sharding;

import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.lineprotocol.LineRanges;

import java.util.List;

/**
 * One shard's part of a client's write: its lines (ranges of the scanned write, not copied), fanned out to
 * that shard's backends (named, and as recipients) and answered by the response rules among them.
 */
public record ShardWrite(String shard, LineRanges lines, int points, WriteOutcome outcome, List<String> backends,
                         String recipients) {
    /** Exchange property with the write's shard parts (a List of ShardWrite): the write is split. */
    public static final String PARTS = "relay.shard.writes";
    /** Exchange property with the recipients of a split write: every backend of the shards it has lines for. */
    public static final String RECIPIENTS = "relay.shard.recipients";

    @Override
    public String toString() { // lines stay out of logs
        return "ShardWrite[" + shard + ", " + points + " points]";
    }
}
