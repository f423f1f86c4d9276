package io.influxrelay.http;

/**
 * A request's target (path and query) made acceptable to Camel without changing what it means.
 * InfluxDB (Go) is lenient where java.net.URI, which Camel parses every target with, is strict: an
 * unparsable target made Camel close the connection with no answer. Here, as in Go: a malformed
 * percent-escape in the path is an error, a query pair with one is dropped (Go's url.ParseQuery skips
 * it, so InfluxDB never sees it either), and characters URI refuses but Go passes on (quotes, spaces
 * escaped by nobody, braces, non-ASCII bytes) are percent-encoded, so they decode to the same value.
 */
public final class RequestTarget {
    private static final boolean[] ALLOWED = new boolean[128];

    static {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?";
        for (char c : allowed.toCharArray()) {
            ALLOWED[c] = true;
        }
    }

    private RequestTarget() {
    }

    /** A target that cannot be served: the client gets 400 with this message. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The target with bad query pairs dropped and illegal characters encoded. Netty hands the request
     * line over as ISO-8859-1, one char per byte, so each char is encoded as the byte it stands for.
     */
    public static String normalize(String target) throws Malformed {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        StringBuilder out = new StringBuilder(target.length() + 16);
        String badEscape = badEscape(path);
        if (badEscape != null) {
            throw new Malformed("invalid URL escape " + Json.quote(badEscape));
        }
        appendEncoded(out, path);
        if (q < 0) {
            return out.toString();
        }
        out.append('?');
        boolean first = true;
        for (String pair : target.substring(q + 1).split("&", -1)) {
            if (pair.isEmpty() || badEscape(pair) != null) {
                continue;
            }
            if (!first) {
                out.append('&');
            }
            appendEncoded(out, pair);
            first = false;
        }
        return out.toString();
    }

    private static void appendEncoded(StringBuilder out, String s) throws Malformed {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new Malformed("invalid control character in URL");
            }
            if (c == '%' || (c < 128 && ALLOWED[c])) {
                out.append(c);
            } else {
                int b = c & 0xff;
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
    }

    /** The first percent-escape that is not % and two hex digits, or null. */
    private static String badEscape(String s) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                return s.substring(i, Math.min(s.length(), i + 3));
            }
        }
        return null;
    }
}
