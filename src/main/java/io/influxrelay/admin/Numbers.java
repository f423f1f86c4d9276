package io.influxrelay.admin;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How counts, rates, sums and elapsed times print: the same in the table, the summary and the bar. */
final class Numbers {
    private Numbers() {
    }

    /** 950, 12.3k, 1.2M, 4.5G: the progress bar has room for four characters or so. */
    static String compact(double n) {
        double a = Math.abs(n);
        if (a < 1_000) {
            return String.valueOf(Math.round(n));
        }
        String[] units = {"k", "M", "G", "T", "P"};
        int u = -1;
        while (a >= 999.95 && u < units.length - 1) {
            a /= 1000;
            n /= 1000;
            u++;
        }
        return (a < 100 ? String.format(Locale.ROOT, "%.1f", n) : String.valueOf(Math.round(n))) + units[u];
    }

    /** 1,234,567: the full count where there is room for it. */
    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Ten significant digits at most, no exponent, no trailing zeros: 1.5, 12, 0.333333333. */
    static String sum(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        return new BigDecimal(d).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String elapsed(double seconds) {
        long s = (long) Math.max(0, seconds);
        long h = s / 3600;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
