package io.influxrelay.fanout;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How many backends must accept a write before the client hears success (InfluxDB's write consistency). */
public enum Consistency {
    /** Accepted by one backend, or safely queued in one backend's retry buffer. */
    ANY,
    ONE,
    QUORUM,
    ALL;

    public static Optional<Consistency> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.name().equals(v)).findFirst();
    }

    /** Successes needed out of {@code backends}. */
    public int required(int backends) {
        return switch (this) {
            case ANY, ONE -> 1;
            case QUORUM -> backends / 2 + 1;
            case ALL -> backends;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
