package io.influxrelay.write;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The client's query string: decoded values to read, and the raw text to forward untouched. */
public final class QueryString {
    private final String raw;
    private final Map<String, String> first = new HashMap<>();

    public QueryString(String raw) {
        this.raw = raw == null ? "" : raw;
        for (String pair : this.raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            first.putIfAbsent(key, value); // like Go's Query().Get: the first value wins
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray % is kept as sent; InfluxDB will judge it
        }
    }

    public String get(String key) {
        return first.get(key);
    }

    public String raw() {
        return raw;
    }
}
