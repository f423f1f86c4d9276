package io.influxrelay.lineprotocol;

import java.util.Optional;

/** The unit of line-protocol timestamps, as chosen by the {@code precision} query parameter of /write. */
public enum Precision {
    NANOSECONDS(1L, "n"),
    MICROSECONDS(1_000L, "u"),
    MILLISECONDS(1_000_000L, "ms"),
    SECONDS(1_000_000_000L, "s"),
    MINUTES(60_000_000_000L, "m"),
    HOURS(3_600_000_000_000L, "h");

    private final long nanosPerUnit;
    private final String queryValue;

    Precision(long nanosPerUnit, String queryValue) {
        this.nanosPerUnit = nanosPerUnit;
        this.queryValue = queryValue;
    }

    /**
     * Parses the values InfluxDB 1.x documents: null or "" (nanoseconds), "n", "ns", "u", "ms", "s", "m", "h".
     * Anything else ("us", "µ", "x") is empty. influxd 1.6.7 itself refuses nothing: it silently takes every
     * value other than u/ms/s/m/h as nanoseconds ("us" included), so callers that forward the raw query
     * to 1.6 backends should treat empty as {@link #NANOSECONDS} to agree with them.
     */
    public static Optional<Precision> parse(String value) {
        if (value == null) {
            return Optional.of(NANOSECONDS);
        }
        switch (value) {
            case "":
            case "n":
            case "ns":
                return Optional.of(NANOSECONDS);
            case "u":
                return Optional.of(MICROSECONDS);
            case "ms":
                return Optional.of(MILLISECONDS);
            case "s":
                return Optional.of(SECONDS);
            case "m":
                return Optional.of(MINUTES);
            case "h":
                return Optional.of(HOURS);
            default:
                return Optional.empty();
        }
    }

    /**
     * Converts epoch nanoseconds to this precision. Rounds towards negative infinity, as Go's
     * {@code time.Truncate} does for the unstamped points influxd times itself.
     */
    public long fromEpochNanos(long epochNanos) {
        return Math.floorDiv(epochNanos, nanosPerUnit);
    }

    /** The clock's present time in this precision: the stamp for points that carry none. */
    public long now(java.time.Clock clock) {
        java.time.Instant now = clock.instant();
        return fromEpochNanos(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    /** How many nanoseconds one unit of this precision is (InfluxDB's precision multiplier). */
    public long nanosPerUnit() {
        return nanosPerUnit;
    }

    /** The canonical query value influxd 1.x understands for this precision: n, u, ms, s, m or h. */
    public String queryValue() {
        return queryValue;
    }
}
