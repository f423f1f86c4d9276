package io.influxrelay.http;

/** Client-supplied text made safe for one log line: control characters escaped, length capped. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        String quoted = Json.quote(s.length() > MAX ? s.substring(0, MAX) + "..." : s);
        return quoted.substring(1, quoted.length() - 1).replace("\u007f", "\\u007f");
    }
}
