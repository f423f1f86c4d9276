package io.influxrelay.recovery;

import com.fasterxml.jackson.core.JsonGenerator;
import io.influxrelay.config.BackendConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compares two servers window by window (route "check"): steps are (rp, measurement) pairs. Points of a
 * window are the largest count among its fields (a point has at least one field; most have all), and
 * fromPoints/toPoints sum that over every window and measurement. Windows counts the (rp, measurement,
 * window) triples that held data on either server. At most {@link #MAX_LISTED} differences are kept;
 * {@link #differencesFound()} counts them all.
 */
public final class CheckJob extends RecoveryJob {
    public static final int MAX_LISTED = 10_000;

    private final Duration window;
    private final List<WindowDifference> differences = new ArrayList<>();
    private final AtomicLong differencesFound = new AtomicLong();
    private final AtomicLong windows = new AtomicLong();
    private final AtomicLong fromPoints = new AtomicLong();
    private final AtomicLong toPoints = new AtomicLong();

    public CheckJob(String id, BackendConfig from, BackendConfig to, RangeSpec spec, Duration window) {
        super(id, from, to, spec);
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.window = window;
    }

    @Override
    public String kind() {
        return "check";
    }

    public Duration window() {
        return window;
    }

    public List<WindowDifference> differences() {
        synchronized (differences) {
            return List.copyOf(differences);
        }
    }

    public long differencesFound() {
        return differencesFound.get();
    }

    /** Done and not one difference. */
    public boolean agrees() {
        return state() == State.DONE && differencesFound.get() == 0;
    }

    public long windows() {
        return windows.get();
    }

    public long fromPoints() {
        return fromPoints.get();
    }

    public long toPoints() {
        return toPoints.get();
    }

    void windowCompared(long fromWindowPoints, long toWindowPoints) {
        windows.incrementAndGet();
        fromPoints.addAndGet(fromWindowPoints);
        toPoints.addAndGet(toWindowPoints);
        pointsDone(Math.max(fromWindowPoints, toWindowPoints));
    }

    void differs(WindowDifference difference) {
        differencesFound.incrementAndGet();
        synchronized (differences) {
            if (differences.size() < MAX_LISTED) {
                differences.add(difference);
            }
        }
    }

    @Override
    protected void writeResult(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("agrees", agrees());
        g.writeNumberField("windows", windows());
        g.writeNumberField("fromPoints", fromPoints());
        g.writeNumberField("toPoints", toPoints());
        g.writeNumberField("differencesFound", differencesFound());
        g.writeArrayFieldStart("differences");
        for (WindowDifference d : differences()) {
            g.writeStartObject();
            g.writeStringField("rp", d.rp());
            g.writeStringField("measurement", d.measurement());
            g.writeStringField("field", d.field());
            g.writeStringField("windowStart", time(d.windowStartNs()));
            g.writeStringField("windowEnd", time(d.windowEndNs()));
            g.writeNumberField("fromCount", d.fromCount());
            g.writeNumberField("toCount", d.toCount());
            writeSum(g, "fromSum", d.fromSum());
            writeSum(g, "toSum", d.toSum());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeSum(JsonGenerator g, String name, Double sum) throws IOException {
        if (sum == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, sum);
        }
    }
}
