package io.influxrelay.recovery;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.List;

/**
 * A rebalance run: "rebalance" plans the keys that move and copies them (or, on a dry run, only plans
 * them), "rebalance-finish" deletes the copied keys from their old shards once reads moved.
 */
public final class RebalanceJob extends RecoveryJob {
    private final boolean finish;
    private final boolean dryRun;
    private volatile List<RebalanceMove> moves = List.of();

    public RebalanceJob(String id, boolean finish, boolean dryRun) {
        super(id);
        this.finish = finish;
        this.dryRun = dryRun;
    }

    @Override
    public String kind() {
        return finish ? "rebalance-finish" : "rebalance";
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** The plan as it stands: every key and its state. */
    public List<RebalanceMove> moves() {
        return moves;
    }

    void moves(List<RebalanceMove> moves) {
        this.moves = List.copyOf(moves);
    }

    @Override
    protected void writeResult(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("dryRun", dryRun);
        g.writeArrayFieldStart("moves");
        for (RebalanceMove m : moves) {
            g.writeStartObject();
            g.writeStringField("db", m.db());
            g.writeStringField("measurement", m.measurement());
            g.writeStringField("from", m.fromShard());
            g.writeStringField("to", m.toShard());
            g.writeNumberField("points", m.points());
            g.writeStringField("state", m.state());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
