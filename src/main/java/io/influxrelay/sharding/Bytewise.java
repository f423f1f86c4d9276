package io.influxrelay.sharding;

import java.util.Comparator;

/** Strings in the order of their UTF-8 bytes, which is how Go (so InfluxDB) compares strings: by code point. */
final class Bytewise {
    static final Comparator<String> ORDER = Bytewise::compare;

    private Bytewise() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
