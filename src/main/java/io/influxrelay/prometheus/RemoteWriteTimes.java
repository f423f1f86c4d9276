package io.influxrelay.prometheus;

import io.influxrelay.lineprotocol.PointTimes;

/**
 * The time range and sample count of a remote write as the relay queued it, for the missing-data ledger when
 * a backend misses it for good: samples carry milliseconds, the ledger nanoseconds.
 */
public final class RemoteWriteTimes {
    private RemoteWriteTimes() {
    }

    /** The range, or null when the write holds no sample or cannot be read (it was checked on arrival). */
    public static PointTimes of(byte[] snappyBody) {
        try {
            RemoteWriteRequest request = RemoteWriteRequest.parse(SnappyBlock.uncompress(snappyBody, Integer.MAX_VALUE), null);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (RemoteWriteRequest.Series s : request.series()) {
                if (s.samples() > 0) {
                    min = Math.min(min, s.minMillis());
                    max = Math.max(max, s.maxMillis());
                }
            }
            int samples = request.samples();
            return samples == 0 ? null : new PointTimes(min * 1_000_000L, max * 1_000_000L, samples);
        } catch (BadRemoteBody e) {
            return null;
        }
    }
}
