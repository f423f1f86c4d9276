package io.influxrelay.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the relay's /metrics text as an operator's scraper would. */
public final class Prometheus {
    private Prometheus() {
    }

    /** The sum of the samples of {@code name} whose labels hold every one of {@code labels} (comma-separated); 0 when none. */
    public static double sample(String metrics, String name, String labels) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(metrics);
        double total = 0;
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels.split(",")) {
                all &= label.isEmpty() || found.contains(label);
            }
            if (all) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
