package io.influxrelay.recovery;

import java.io.IOException;
import java.util.List;

/**
 * The windows of one server's aggregate answer, in time order: per field (by its index in the check's
 * field list) the count and the sum, read from columns aliased c&lt;i&gt; and s&lt;i&gt;. Empty when the server
 * was not asked (it lacks the policy or the measurement).
 */
final class WindowRows {
    private final QueryRows rows;
    private final int fields;
    private int seriesSeen = -1;
    private int[] countColumn;
    private int[] sumColumn;

    /** The current window; null before the first and after the last. */
    private Window current;

    record Window(long time, long[] counts, NumberText[] sums) {
        long points() {
            long max = 0;
            for (long c : counts) {
                max = Math.max(max, c);
            }
            return max;
        }
    }

    WindowRows(QueryRows rows, int fields) {
        this.rows = rows;
        this.fields = fields;
    }

    Window current() {
        return current;
    }

    /** Moves to the next window; false (and current null) at the end. */
    boolean next() throws IOException {
        if (rows == null || !rows.next()) {
            current = null;
            return false;
        }
        if (rows.seriesObjects() != seriesSeen) {
            seriesSeen = rows.seriesObjects();
            mapColumns(rows.columns());
        }
        long[] counts = new long[fields];
        NumberText[] sums = new NumberText[fields];
        for (int f = 0; f < fields; f++) {
            if (countColumn[f] > 0 && rows.value(countColumn[f]) instanceof NumberText n) {
                counts[f] = n.asLong();
            }
            if (sumColumn[f] > 0 && rows.value(sumColumn[f]) instanceof NumberText n) {
                sums[f] = n;
            }
        }
        current = new Window(rows.time(), counts, sums);
        return true;
    }

    private void mapColumns(List<String> columns) {
        countColumn = new int[fields];
        sumColumn = new int[fields];
        for (int c = 1; c < columns.size(); c++) {
            String name = columns.get(c);
            int field = Integer.parseInt(name.substring(1));
            (name.charAt(0) == 'c' ? countColumn : sumColumn)[field] = c;
        }
    }
}
