package io.influxrelay.recovery;

import com.fasterxml.jackson.core.JsonGenerator;
import io.influxrelay.config.BackendConfig;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Copies a range of points from one server to another (route "resync"): steps are chunks of (rp, measurement, time). */
public final class ResyncJob extends RecoveryJob {
    private final AtomicLong batches = new AtomicLong();
    private final List<String> createdDatabases = new CopyOnWriteArrayList<>();
    private final List<String> createdRetentionPolicies = new CopyOnWriteArrayList<>();

    public ResyncJob(String id, BackendConfig from, BackendConfig to, RangeSpec spec) {
        super(id, from, to, spec);
    }

    @Override
    public String kind() {
        return "resync";
    }

    /** Points written to the target so far. */
    public long points() {
        return pointsDone();
    }

    public long batches() {
        return batches.get();
    }

    public List<String> createdDatabases() {
        return List.copyOf(createdDatabases);
    }

    /** As db."rp". */
    public List<String> createdRetentionPolicies() {
        return List.copyOf(createdRetentionPolicies);
    }

    public double pointsPerSecond() {
        double seconds = elapsed().toNanos() / 1e9;
        return seconds <= 0 ? 0 : points() / seconds;
    }

    void batchWritten(int points) {
        batches.incrementAndGet();
        pointsDone(points);
    }

    void databaseCreated(String db) {
        createdDatabases.add(db);
    }

    void retentionPolicyCreated(String db, String rp) {
        createdRetentionPolicies.add(db + "." + InfluxQl.ident(rp));
    }

    @Override
    protected void writeResult(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("points", points());
        g.writeNumberField("batches", batches());
        g.writeNumberField("pointsPerSecond", Math.round(pointsPerSecond() * 10) / 10.0);
        g.writeArrayFieldStart("createdDatabases");
        for (String db : createdDatabases) {
            g.writeString(db);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("createdRetentionPolicies");
        for (String rp : createdRetentionPolicies) {
            g.writeString(rp);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
