package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The parts of Go's strconv that InfluxDB's parser leans on, over byte ranges and without allocating on the
 * success path: what ParseInt, ParseUint, ParseFloat (base 10, 64 bits) and ParseBool accept, and how Go
 * words and quotes their errors.
 */
final class GoNumbers {
    static final String SYNTAX = "invalid syntax";
    static final String RANGE = "value out of range";

    private static final byte[] MAX_INT64 = "9223372036854775807".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIN_INT64_ABS = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAX_UINT64 = "18446744073709551615".getBytes(StandardCharsets.US_ASCII);

    private GoNumbers() {
    }

    /** Whether -?[0-9]+ in b[from, to) is an int64 (the caller has checked the syntax). */
    static boolean fitsInt64(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        return fitsUnder(b, negative ? from + 1 : from, to, negative ? MIN_INT64_ABS : MAX_INT64);
    }

    /** Whether [0-9]+ in b[from, to) is a uint64. */
    static boolean fitsUint64(byte[] b, int from, int to) {
        return fitsUnder(b, from, to, MAX_UINT64);
    }

    private static boolean fitsUnder(byte[] b, int from, int to, byte[] max) {
        while (from < to - 1 && b[from] == '0') {
            from++; // Go accepts leading zeros
        }
        int digits = to - from;
        if (digits != max.length) {
            return digits < max.length;
        }
        if (b[from] != max[0]) {
            return b[from] < max[0]; // decides today's 19-digit nanosecond timestamps at once
        }
        return Arrays.compare(b, from, to, max, 0, max.length) <= 0;
    }

    /** Parses -?[0-9]+ that {@link #fitsInt64} accepted; eight digits at a time (a timestamp has 19). */
    static long parseInt64(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        int i = negative ? from + 1 : from;
        long value = 0;
        // accumulate negatively so that MIN_VALUE fits: every step's value is a prefix of the number
        for (; to - i >= 8; i += 8) {
            value = value * 100_000_000 - ByteSearch.eightDigitValue(b, i);
        }
        for (; i < to; i++) {
            value = value * 10 - (b[i] - '0');
        }
        return negative ? value : -value;
    }

    /** What strconv.ParseUint(s, 10, 64) says about b[from, to): null when it parses. */
    static String parseUintProblem(byte[] b, int from, int to) {
        if (from >= to) {
            return SYNTAX;
        }
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                // Go stops at the first bad byte, unless the digits before it already overflowed
                return fitsUint64(b, from, Math.max(i, from + 1)) || i == from ? SYNTAX : RANGE;
            }
        }
        return fitsUint64(b, from, to) ? null : RANGE;
    }

    /** What strconv.ParseInt(s, 10, 64) says about b[from, to): null when it parses. */
    static String parseIntProblem(byte[] b, int from, int to) {
        if (from >= to) {
            return SYNTAX;
        }
        int digits = b[from] == '+' || b[from] == '-' ? from + 1 : from;
        String problem = parseUintProblem(b, digits, to);
        if (problem != null) {
            return problem;
        }
        return b[from] == '-' ? (fitsUnder(b, digits, to, MIN_INT64_ABS) ? null : RANGE)
                : (fitsUnder(b, digits, to, MAX_INT64) ? null : RANGE);
    }

    /** What strconv.ParseBool says: the words InfluxDB accepts as booleans, and "1" and "0". */
    static String parseBoolProblem(byte[] b, int from, int to) {
        String word = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        switch (word) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return null;
            default:
                return SYNTAX;
        }
    }

    /**
     * Whether strconv.ParseFloat(s, 64) fails on b[from, to) that holds only [0-9.eE+-] after an optional
     * leading '-' (what InfluxDB's scanNumber lets through).
     */
    static boolean parseFloatFails(byte[] b, int from, int to) {
        return parseFloatProblem(b, from, to) != null;
    }

    /**
     * What strconv.ParseFloat(s, 64) says about b[from, to): null when it parses. Decimal and special
     * (inf, infinity, nan) forms are exact; hexadecimal mantissas are checked for syntax only. Underflow to
     * zero is no error in Go, nor here.
     */
    static String parseFloatProblem(byte[] b, int from, int to) {
        int i = from;
        boolean signed = i < to && (b[i] == '-' || b[i] == '+');
        if (signed) {
            i++;
        }
        if (isWord(b, i, to, "infinity") || isWord(b, i, to, "inf") || !signed && isWord(b, i, to, "nan")) {
            return null;
        }
        if (i + 1 < to && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            return hexFloatProblem(b, i + 2, to);
        }
        int digits = 0;
        int digitsBeforePoint = -1;
        int firstNonZero = -1;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                if (c != '0' && firstNonZero < 0) {
                    firstNonZero = digits;
                }
                digits++;
            } else if (c == '.' && digitsBeforePoint < 0) {
                digitsBeforePoint = digits;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return SYNTAX;
        }
        if (digitsBeforePoint < 0) {
            digitsBeforePoint = digits;
        }
        long exponent = 0;
        if (i < to) {
            if (b[i] != 'e' && b[i] != 'E') {
                return SYNTAX;
            }
            i++;
            boolean negative = false;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                negative = b[i] == '-';
                i++;
            }
            if (i >= to) {
                return SYNTAX;
            }
            for (; i < to; i++) {
                byte c = b[i];
                if (c < '0' || c > '9') {
                    return SYNTAX;
                }
                if (exponent < 1_000_000_000L) {
                    exponent = exponent * 10 + (c - '0');
                }
            }
            if (negative) {
                exponent = -exponent;
            }
        }
        if (firstNonZero < 0) {
            return null; // zero
        }
        // the value lies in [10^magnitude, 10^(magnitude+1)); the largest double is about 1.8e308
        long magnitude = (long) digitsBeforePoint - firstNonZero - 1 + exponent;
        if (magnitude <= 307) {
            return null;
        }
        if (magnitude >= 309) {
            return RANGE;
        }
        String text = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        return Double.isInfinite(Double.parseDouble(text)) ? RANGE : null;
    }

    /** Go's hexadecimal floats after "0x": hex digits with one optional point, then a mandatory p exponent. */
    private static String hexFloatProblem(byte[] b, int i, int to) {
        int digits = 0;
        boolean point = false;
        for (; i < to; i++) {
            byte c = b[i];
            if (Character.digit(c, 16) >= 0) {
                digits++;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digits == 0 || i >= to || (b[i] != 'p' && b[i] != 'P')) {
            return SYNTAX;
        }
        i++;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        if (i >= to) {
            return SYNTAX;
        }
        for (; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return SYNTAX;
            }
        }
        return null;
    }

    private static boolean isWord(byte[] b, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (b[from + k] & 0xff)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Go's error text for ParseInt on a timestamp it rejects ("-" alone, or out of range). */
    static String parseIntError(byte[] b, int from, int to) {
        String text = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        String why = text.equals("-") ? SYNTAX : RANGE;
        return "strconv.ParseInt: parsing \"" + text + "\": " + why;
    }

    static String parseUintError(byte[] b, int from, int to) {
        String text = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        return "strconv.ParseUint: parsing \"" + text + "\": " + RANGE;
    }

    /** Go's %q of a byte slice: a double-quoted Go string literal, invalid UTF-8 as \x escapes. */
    static String quote(byte[] b, int from, int to) {
        StringBuilder quoted = new StringBuilder(to - from + 2).append('"');
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                switch (c) {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    case 0x07 -> quoted.append("\\a");
                    case '\b' -> quoted.append("\\b");
                    case '\f' -> quoted.append("\\f");
                    case '\n' -> quoted.append("\\n");
                    case '\r' -> quoted.append("\\r");
                    case '\t' -> quoted.append("\\t");
                    case 0x0b -> quoted.append("\\v");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            quoted.append(String.format("\\x%02x", c));
                        } else {
                            quoted.append((char) c);
                        }
                    }
                }
                i++;
                continue;
            }
            int length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            String decoded = length > 1 && i + length <= to ? new String(b, i, length, StandardCharsets.UTF_8) : "\uFFFD";
            int codePoint = decoded.codePointAt(0);
            if (decoded.equals("\uFFFD")) {
                quoted.append(String.format("\\x%02x", c));
                i++;
            } else if (Character.isISOControl(codePoint) || Character.isSpaceChar(codePoint) || !Character.isDefined(codePoint)) {
                quoted.append(codePoint > 0xffff ? String.format("\\U%08x", codePoint) : String.format("\\u%04x", codePoint));
                i += length;
            } else {
                quoted.append(decoded);
                i += length;
            }
        }
        return quoted.append('"').toString();
    }
}
