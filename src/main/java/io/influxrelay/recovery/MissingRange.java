package io.influxrelay.recovery;

import java.time.Instant;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Points one backend misses for good: a database, a retention policy ("" for the database's default, as
 * the write named none) and the time range of the points, both ends included.
 *
 * @param points  how many points were lost into this range (a range merges many writes)
 * @param reasons why (buffer full, dead letter, ...)
 * @param since   when the first of them was lost
 */
public record MissingRange(String db, String rp, long startNs, long endNs, long points, SortedSet<String> reasons,
                           Instant since) {

    public MissingRange {
        reasons = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(reasons));
    }

    boolean sameTarget(MissingRange other) {
        return db.equals(other.db) && rp.equals(other.rp);
    }

    /** Whether the two ranges overlap or lie at most {@code gapNs} apart: merging them costs little to repair. */
    boolean near(MissingRange other, long gapNs) {
        return sameTarget(other) && startNs <= saturatedAdd(other.endNs, gapNs) && other.startNs <= saturatedAdd(endNs, gapNs);
    }

    MissingRange merge(MissingRange other) {
        TreeSet<String> why = new TreeSet<>(reasons);
        why.addAll(other.reasons);
        return new MissingRange(db, rp, Math.min(startNs, other.startNs), Math.max(endNs, other.endNs),
                points + other.points, why, since.isBefore(other.since) ? since : other.since);
    }

    /** The range as a resync or a check takes it: the end exclusive. */
    public RangeSpec spec() {
        return new RangeSpec(db, rp, startNs, endNs == Long.MAX_VALUE ? endNs : endNs + 1, java.util.List.of());
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
