package io.influxrelay.log;

/**
 * Client-supplied text (bad lines of a datagram, errors that quote them, request lines) made safe for
 * one log line: control characters are written as escapes, so a datagram holding "\r\n... ERROR" cannot
 * forge a log line and terminal escapes do not reach an operator's terminal.
 */
public final class LogText {
    private LogText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !control(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // the usual case: nothing to escape, no copy
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (control(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators some viewers break lines at. */
    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
