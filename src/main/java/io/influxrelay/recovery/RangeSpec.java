package io.influxrelay.recovery;

import java.util.List;

/**
 * What to copy or compare. rp null: every retention policy of db (as the source lists them; a check
 * takes those of both servers); rp "": the source's default retention policy. endNs exclusive.
 * measurements empty: all (the union of both servers for a check; the source's for a resync).
 */
public record RangeSpec(String db, String rp, long startNs, long endNs, List<String> measurements) {
    public RangeSpec {
        if (db == null || db.isEmpty()) {
            throw new IllegalArgumentException("db is required");
        }
        if (endNs <= startNs) {
            throw new IllegalArgumentException("end must be after start");
        }
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
    }
}
