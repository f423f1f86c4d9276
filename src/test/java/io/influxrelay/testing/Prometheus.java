package io.influxrelay.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text scrape, as a dashboard would. */
public final class Prometheus {
    private Prometheus() {
    }

    /** The sum of the samples of this name whose labels contain every one given ("k=\"v\",..."), 0 when absent. */
    public static double sample(String scrape, String name, String labels) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(scrape);
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

    /** The relay's /metrics now. */
    public static String scrape(RelayProcess relay) {
        return Http.request("GET", relay.url() + "/metrics").body();
    }
}
