package io.influxrelay.recovery;

/**
 * Keeps a resync at or under its points per second: a batch waits until the job's points, itself
 * included, fit in the time elapsed since the job started. Batches are kept to a quarter second of
 * points, so the pace is even rather than bursts of a large batch followed by long waits.
 */
final class PointPacer {
    private static final int MAX_BATCH_POINTS = 50_000;

    private final long maxPointsPerSecond;

    /** @param maxPointsPerSecond 0: no limit */
    PointPacer(long maxPointsPerSecond) {
        this.maxPointsPerSecond = maxPointsPerSecond;
    }

    int maxBatchPoints() {
        return maxPointsPerSecond <= 0 ? MAX_BATCH_POINTS : (int) Math.max(1, Math.min(MAX_BATCH_POINTS, maxPointsPerSecond / 4));
    }

    /** Waits (waking to see a cancel) until the batch of {@code points} may go. */
    void pace(ResyncJob job, int points) throws InterruptedException {
        if (maxPointsPerSecond <= 0) {
            return;
        }
        long dueNanos = (long) ((job.points() + points) * 1e9 / maxPointsPerSecond);
        for (long wait = dueNanos - job.elapsed().toNanos(); wait > 0; wait = dueNanos - job.elapsed().toNanos()) {
            job.throwIfCancelled();
            Thread.sleep(Math.max(1, Math.min(100, wait / 1_000_000)));
        }
    }
}
