package io.influxrelay.admin;

/**
 * One line of a running job:
 * {@code resync a → b  [########------------]  40%  12/30 chunks  1.2M points  150k pts/s  0:08}.
 * The rate is the job's average (points over its elapsed time), steadier than the last poll's.
 */
final class ProgressLine {
    static final int BAR = 20;

    private ProgressLine() {
    }

    static String of(Job job, String arrow) {
        StringBuilder b = new StringBuilder().append(job.kind()).append(' ').append(job.from())
                .append(' ').append(arrow).append(' ').append(job.to()).append("  ");
        long total = job.total();
        long done = Math.min(job.done(), Math.max(total, 0));
        if (total > 0) {
            int filled = (int) (BAR * done / total);
            b.append('[').append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("]  ")
                    .append(String.format("%3d%%", 100 * done / total)).append("  ")
                    .append(done).append('/').append(total).append(" chunks  ");
        } else {
            // the relay has not yet counted the chunks
            b.append('[').append("-".repeat(BAR)).append("]   --%  ");
        }
        b.append(Numbers.compact(job.points())).append(" points  ");
        double seconds = job.elapsedSeconds();
        if (seconds > 0) {
            b.append(Numbers.compact(job.points() / seconds)).append(" pts/s  ");
        }
        return b.append(Numbers.elapsed(seconds)).toString();
    }
}
