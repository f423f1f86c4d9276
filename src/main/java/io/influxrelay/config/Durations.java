package io.influxrelay.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as the original relay's config used them: 10s, 500ms, 1m30s, 1.5s. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|ns|h|m|s)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|us|ns|h|m|s))+");

    private Durations() {
    }

    public static Duration parse(String key, String value) {
        if (!WHOLE.matcher(value).matches()) {
            throw new ConfigException(key, "'" + value + "' is not a duration (examples: 10s, 500ms, 1m30s)");
        }
        double nanos = 0;
        Matcher m = PART.matcher(value);
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "h" -> 3_600e9;
                case "m" -> 60e9;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us" -> 1e3;
                default -> 1;
            };
        }
        Duration d = Duration.ofNanos((long) nanos);
        if (d.isZero()) {
            throw new ConfigException(key, "must be longer than zero");
        }
        return d;
    }
}
