package io.influxrelay.recovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.influxrelay.config.BackendConfig;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One resync or check, run by its route on the caller's thread and read (progress, outcome, JSON) by
 * others while it runs: thread-safe. Steps are what the route works through (a resync's chunks, a
 * check's measurements); {@link #cancel()} stops it at the next step or batch.
 */
public abstract class RecoveryJob {
    /** The exchange property holding the job a route runs. */
    public static final String PROPERTY = "relay.recovery.job";
    private static final org.slf4j.Logger PROGRESS = org.slf4j.LoggerFactory.getLogger(RecoveryJob.class);
    private static final long PROGRESS_LOG_NANOS = 30_000_000_000L;
    private volatile long lastProgressLog;
    private static final JsonFactory JSON = new JsonFactory();

    public enum State { RUNNING, DONE, FAILED }

    private final String id;
    private final BackendConfig from;
    private final BackendConfig to;
    private final RangeSpec spec;
    private final AtomicLong pointsDone = new AtomicLong();
    private final AtomicLong stepsDone = new AtomicLong();
    private volatile long stepsTotal;
    private volatile State state = State.RUNNING;
    private volatile String error;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile long startedNanos;
    private volatile long finishedNanos;
    private volatile boolean cancelled;

    protected RecoveryJob(String id, BackendConfig from, BackendConfig to, RangeSpec spec) {
        this.id = id;
        this.from = from;
        this.to = to;
        this.spec = spec;
    }

    /** A job over many backends and ranges (a rebalance): no one source, target or range of its own. */
    protected RecoveryJob(String id) {
        this(id, null, null, null);
    }

    public String id() {
        return id;
    }

    /** "resync", "check" or "rebalance". */
    public abstract String kind();

    public BackendConfig from() {
        return from;
    }

    public BackendConfig to() {
        return to;
    }

    public RangeSpec spec() {
        return spec;
    }

    public State state() {
        return state;
    }

    /** Why it failed ("cancelled" when cancelled); null otherwise. */
    public String error() {
        return error;
    }

    public long pointsDone() {
        return pointsDone.get();
    }

    public long stepsDone() {
        return stepsDone.get();
    }

    public long stepsTotal() {
        return stepsTotal;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** From its start to its end, or to now while it runs; zero before it starts. */
    public Duration elapsed() {
        long start = startedNanos;
        if (startedAt == null) {
            return Duration.ZERO;
        }
        long end = finishedAt != null ? finishedNanos : System.nanoTime();
        return Duration.ofNanos(end - start);
    }

    /** Asks the running route to stop at its next step or batch; it then fails with "cancelled". */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Called by the route between steps and batches. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new RecoveryException("cancelled");
        }
    }

    public void started() {
        startedNanos = System.nanoTime();
        lastProgressLog = startedNanos;
        startedAt = Instant.now();
    }

    public void planned(long steps) {
        stepsTotal = steps;
    }

    public void stepDone() {
        long done = stepsDone.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastProgressLog >= PROGRESS_LOG_NANOS && done < stepsTotal) {
            lastProgressLog = now;
            // a long job says how far it is, every half minute at most
            PROGRESS.info("{} {}: {} of {} steps, {} points, {} s", kind(), id, done, stepsTotal, pointsDone.get(),
                    String.format(java.util.Locale.ROOT, "%.0f", elapsed().toMillis() / 1000.0));
        }
    }

    public void pointsDone(long points) {
        pointsDone.addAndGet(points);
    }

    public synchronized void done() {
        if (state == State.RUNNING) {
            finish();
            state = cancelled ? State.FAILED : State.DONE;
            error = cancelled ? "cancelled" : null;
        }
    }

    public synchronized void failed(String why) {
        if (state == State.RUNNING) {
            finish();
            error = cancelled ? "cancelled" : why;
            state = State.FAILED;
        }
    }

    private void finish() {
        finishedNanos = System.nanoTime();
        finishedAt = Instant.now();
    }

    /** The job as one JSON object: identity, range, progress, and its result once done. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            synchronized (this) {
                g.writeStartObject();
                g.writeStringField("id", id);
                g.writeStringField("kind", kind());
                g.writeStringField("state", state.name().toLowerCase(java.util.Locale.ROOT));
                if (spec != null) {
                    g.writeStringField("from", from.name());
                    g.writeStringField("to", to.name());
                    g.writeStringField("db", spec.db());
                    g.writeStringField("rp", spec.rp());
                    g.writeStringField("start", time(spec.startNs()));
                    g.writeStringField("end", time(spec.endNs()));
                    g.writeArrayFieldStart("measurements");
                    for (String m : spec.measurements()) {
                        g.writeString(m);
                    }
                    g.writeEndArray();
                }
                g.writeStringField("startedAt", startedAt == null ? null : startedAt.toString());
                g.writeStringField("finishedAt", finishedAt == null ? null : finishedAt.toString());
                g.writeNumberField("elapsedSeconds", elapsed().toNanos() / 1e9);
                g.writeObjectFieldStart("progress");
                g.writeNumberField("done", stepsDone());
                g.writeNumberField("total", stepsTotal);
                g.writeNumberField("points", pointsDone());
                g.writeEndObject();
                g.writeStringField("error", error);
                g.writeFieldName("result");
                if (state == State.DONE) {
                    writeResult(g);
                } else {
                    g.writeNull();
                }
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The kind's own result object, written once the job is done. */
    protected abstract void writeResult(JsonGenerator g) throws IOException;

    /** For log lines: null is every policy, "" the default one. */
    static String describeRp(String rp) {
        return rp == null ? "(all)" : rp.isEmpty() ? "(default)" : io.influxrelay.log.LogText.escape(rp);
    }

    /** RFC 3339 in UTC with the nanoseconds InfluxDB keeps. */
    static String time(long epochNs) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L)).toString();
    }
}
