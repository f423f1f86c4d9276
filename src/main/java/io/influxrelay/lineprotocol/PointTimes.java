package io.influxrelay.lineprotocol;

/**
 * The time range of a checked body's points, in nanoseconds: what a backend misses when it misses the
 * body. The body is scanned again (it is the relay's own checked output, so every line is valid and
 * stamped); this costs only when a write is lost, never on the write path.
 *
 * @param points how many points the body holds
 */
public record PointTimes(long startNs, long endNs, long points) {

    /** The range of {@code body}'s points, or null when it holds none. {@code precision}: the write's parameter. */
    public static PointTimes of(byte[] body, String precision) {
        Precision p = Precision.parse(precision).orElse(Precision.NANOSECONDS);
        ScanResult scan = LineScanner.scan(body, 0, body.length, 0, p);
        if (!scan.hasValidLines()) {
            return null;
        }
        long unit = p.nanosPerUnit();
        return new PointTimes(scan.minTime() * unit, scan.maxTime() * unit, scan.validLines());
    }
}
