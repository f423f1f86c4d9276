package io.influxrelay.recovery;

/** The pieces of InfluxQL the engine writes: quoted identifiers, a time range, durations. */
final class InfluxQl {
    private InfluxQl() {
    }

    /** A double-quoted identifier: any name, even one holding quotes, spaces or dots. */
    static String ident(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** "db"."rp"."m" */
    static String source(String db, String rp, String measurement) {
        return ident(db) + "." + ident(rp) + "." + ident(measurement);
    }

    static String timeRange(long startNs, long endNs) {
        return "time >= " + startNs + " AND time < " + endNs;
    }

    /**
     * A duration in Go's form ("168h0m0s", "1h30m0s", "0s") as an InfluxQL literal in a single unit;
     * "0s" (keep forever) is INF.
     */
    static String duration(String goDuration) {
        long ns = goDurationNanos(goDuration);
        if (ns == 0) {
            return "INF";
        }
        long hour = 3_600_000_000_000L;
        if (ns % hour == 0) {
            return ns / hour + "h";
        }
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        return ns / 1000 + "u";
    }

    static long goDurationNanos(String d) {
        long total = 0;
        int i = 0;
        while (i < d.length()) {
            int start = i;
            while (i < d.length() && (Character.isDigit(d.charAt(i)) || d.charAt(i) == '.')) {
                i++;
            }
            double amount = Double.parseDouble(d.substring(start, i));
            int unitStart = i;
            while (i < d.length() && !Character.isDigit(d.charAt(i))) {
                i++;
            }
            String unit = d.substring(unitStart, i);
            long scale = switch (unit) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                case "ns" -> 1L;
                default -> throw new IllegalArgumentException("not a duration: " + d);
            };
            total += Math.round(amount * scale);
        }
        return total;
    }

    /** An InfluxQL duration for GROUP BY time(...), in the largest unit that is exact. */
    static String window(java.time.Duration window) {
        long ns = window.toNanos();
        String[] units = {"h", "m", "s", "ms", "u"};
        long[] scales = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (ns % scales[i] == 0) {
                return ns / scales[i] + units[i];
            }
        }
        return ns + "ns";
    }
}
