package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks one line the way InfluxDB 1.6's models.parsePoint does, quirks included, plus what influxd checks
 * per point when it writes (no "time" tag key, not only "time" field keys, values its storage engine can
 * read), so that the relay refuses exactly the points a backend would refuse. One instance per scan: it keeps
 * reusable scratch arrays and the result of the last {@link #check}.
 *
 * <p>The escaping rules differ by section, as in Go: measurement and tags treat a byte as escaped when the
 * byte before it is a backslash; the field section skips a backslash and the byte after it; the second
 * reading of the fields (walkFields, FieldIterator) knows only \" and \\ in values.
 */
final class PointSyntax {
    static final int MAX_KEY_LENGTH = 65535;
    private static final long MIN_NANO_TIME = Long.MIN_VALUE + 2;
    private static final long MAX_NANO_TIME = Long.MAX_VALUE - 1;

    private static final boolean[] MEASUREMENT_STOPS = table(", ");
    private static final boolean[] TAG_STOPS = table(", =");
    /** Bytes the field scanner must look at; the others belong to keys or unquoted values. */
    private static final boolean[] FIELD_SPECIALS = table("\\\"=, ");

    private final long nanosPerUnit;
    private final boolean unsignedSupported;

    private int[] tagKeyFrom = new int[16];
    private int[] tagKeyTo = new int[16];
    private int tagCount;
    private boolean onlyTimeFields;
    private int oversizedKey;
    private int fieldsFrom;
    private boolean fieldsHaveBackslash;
    /** Why influxd's storage engine would fail the whole write on this point (a 500), or null. */
    private String engineError;

    /** Why the last line was rejected; null when it was accepted. */
    String reason;
    /** End of the measurement of the last accepted line (its ',' or ' '): a shard splitter's key. */
    int measurementEnd;
    /** End of the field set of the last accepted line: a line without a timestamp is cut there and stamped. */
    int fieldsEnd;
    /** End of the timestamp of the last accepted line, or -1 when it had none. */
    int timestampEnd;
    /** The timestamp of the last accepted line, in the scan's precision, when it had one. */
    long timestamp;
    /** The field set of the last accepted line ends in a lone backslash, which would escape whatever follows. */
    boolean danglingBackslash;

    private static boolean[] table(String bytes) {
        boolean[] table = new boolean[256];
        for (char c : bytes.toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    PointSyntax(Precision precision, boolean unsignedSupported) {
        this.nanosPerUnit = precision.nanosPerUnit();
        this.unsignedSupported = unsignedSupported;
    }

    /** Checks b[from, to): a line as ParsePointsWithPrecision hands it to parsePoint, leading blanks skipped. */
    boolean check(byte[] b, int from, int to) {
        reason = null;
        timestampEnd = -1;
        danglingBackslash = false;
        tagCount = 0;

        int i = scanMeasurement(b, from, to);
        if (i < 0) {
            return false;
        }
        measurementEnd = i;
        if (b[i] == ',') {
            i = scanTags(b, i + 1, to);
            if (i < 0) {
                return false;
            }
            if (tagCount > 1 && hasDuplicateTagKeys(b)) {
                return fail("duplicate tags");
            }
        }
        int keyLength = i - from;
        if (keyLength > MAX_KEY_LENGTH) {
            return fail("max key length exceeded: " + keyLength + " > " + MAX_KEY_LENGTH);
        }
        i = scanFields(b, i, to, keyLength);
        if (i < 0) {
            return false;
        }
        fieldsEnd = i;
        engineError = null;
        if (fieldsHaveBackslash) {
            // Go reads the fields a second time with other escaping rules; only backslashes tell the two apart
            if (!walkFieldsAsStored(b, fieldsFrom, fieldsEnd, keyLength)) {
                return false;
            }
        } else if (oversizedKey > 0) {
            return fail("max key length exceeded: " + oversizedKey + " > " + MAX_KEY_LENGTH);
        }
        if (!scanTimestamp(b, i, to)) {
            return false;
        }
        return checkWriteRules(b, from);
    }

    /** Returns the index of the ',' or ' ' ending the measurement, or -1. */
    private int scanMeasurement(byte[] b, int i, int to) {
        if (i >= to || b[i] == ',') {
            return failAt("missing measurement");
        }
        i = unescapedStop(b, i + 1, to, MEASUREMENT_STOPS);
        return i < to ? i : failAt("missing fields");
    }

    /** Scans tag pairs from i (just past a comma); returns the index of the space before the fields, or -1. */
    private int scanTags(byte[] b, int i, int to) {
        while (true) {
            if (i >= to || b[i] == ' ' || b[i] == ',' || b[i] == '=') {
                return failAt("missing tag key");
            }
            int keyFrom = i;
            i = unescapedStop(b, i + 1, to, TAG_STOPS);
            if (i >= to || b[i] != '=') {
                return failAt("missing tag value");
            }
            addTagKey(keyFrom, i);
            i++;
            if (i >= to || b[i] == ',' || b[i] == ' ') {
                return failAt("missing tag value");
            }
            i = unescapedStop(b, i + 1, to, TAG_STOPS);
            if (i >= to) {
                return failAt("missing fields");
            }
            if (b[i] == '=') {
                return failAt("invalid tag format");
            }
            if (b[i] == ' ') {
                return i;
            }
            i++; // a comma: next tag
        }
    }

    /**
     * The first index k >= i whose byte is a stop and whose previous byte is not a backslash (the escaping
     * rule of measurement and tags), or {@code to}. The caller guarantees i is past the section's first byte.
     */
    private static int unescapedStop(byte[] b, int i, int to, boolean[] stops) {
        for (; i < to; i++) {
            if (stops[b[i] & 0xff] && b[i - 1] != '\\') {
                return i;
            }
        }
        return to;
    }

    private void addTagKey(int from, int to) {
        if (tagCount == tagKeyFrom.length) {
            tagKeyFrom = Arrays.copyOf(tagKeyFrom, tagCount * 2);
            tagKeyTo = Arrays.copyOf(tagKeyTo, tagCount * 2);
        }
        tagKeyFrom[tagCount] = from;
        tagKeyTo[tagCount] = to;
        tagCount++;
    }

    /** Tag keys are compared as raw (escaped) bytes, like Go's bytes.Compare on the key slices. */
    private boolean hasDuplicateTagKeys(byte[] b) {
        boolean sorted = true;
        for (int t = 1; t < tagCount && sorted; t++) {
            sorted = compareTagKeys(b, t - 1, t) < 0;
        }
        if (sorted) {
            return false; // the usual case: Telegraf and the client libraries sort their tags
        }
        if (tagCount <= 16) {
            for (int x = 0; x < tagCount; x++) {
                for (int y = x + 1; y < tagCount; y++) {
                    if (tagKeyTo[x] - tagKeyFrom[x] == tagKeyTo[y] - tagKeyFrom[y] && compareTagKeys(b, x, y) == 0) {
                        return true;
                    }
                }
            }
            return false;
        }
        Integer[] order = new Integer[tagCount];
        for (int t = 0; t < tagCount; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (x, y) -> compareTagKeys(b, x, y));
        for (int t = 1; t < tagCount; t++) {
            if (compareTagKeys(b, order[t - 1], order[t]) == 0) {
                return true;
            }
        }
        return false;
    }

    private int compareTagKeys(byte[] b, int x, int y) {
        return Arrays.compareUnsigned(b, tagKeyFrom[x], tagKeyTo[x], b, tagKeyFrom[y], tagKeyTo[y]);
    }

    /**
     * Go's scanFields; returns the index just past the field set (a space or {@code to}), or -1. Quoted
     * values are skipped in one go: inside them only a backslash or a quote means anything.
     */
    private int scanFields(byte[] b, int i, int to, int keyLength) {
        i = skipWhitespace(b, i, to);
        int equals = 0;
        int commas = 0;
        int fieldKeyFrom = i;
        oversizedKey = 0;
        onlyTimeFields = true;
        fieldsFrom = i;
        fieldsHaveBackslash = false;
        while (i < to) {
            byte c = b[i];
            if (!FIELD_SPECIALS[c & 0xff]) {
                i++;
                continue;
            }
            if (c == '\\') {
                fieldsHaveBackslash = true;
                if (i + 1 < to) {
                    i += 2;
                } else {
                    danglingBackslash = true; // Go keeps a final backslash as a plain byte
                    i++;
                }
                continue;
            }
            if (c == '"') {
                // a quote opens a string only in a value; in a key it is a plain byte
                i = equals > commas ? skipString(b, i + 1, to) : i + 1;
                if (i < 0) {
                    return failAt("unbalanced quotes");
                }
                continue;
            }
            if (c == ',') {
                commas++;
                fieldKeyFrom = ++i;
                continue;
            }
            if (c == ' ') {
                break;
            }
            // '='
            equals++;
            byte before = b[i - 1];
            if ((before == ' ' || before == ',') && b[i - 2] != '\\') {
                return failAt("missing field key");
            }
            onlyTimeFields &= isTime(b, fieldKeyFrom, i);
            int seriesKeySize = keyLength + 4 + (i - fieldKeyFrom);
            if (seriesKeySize > MAX_KEY_LENGTH && oversizedKey == 0) {
                oversizedKey = seriesKeySize;
            }
            if (i + 1 >= to) {
                return failAt("missing field value");
            }
            byte next = b[i + 1];
            if (next == ',' || next == ' ') {
                return failAt("missing field value");
            }
            if ((next >= '0' && next <= '9') || next == '.' || next == '-' || next == 'N' || next == 'n') {
                i = scanNumber(b, i + 1, to);
            } else if (next != '"') {
                i = scanBoolean(b, i + 1, to);
            } else {
                i++; // the string itself is skipped by the next turn
            }
            if (i < 0) {
                return -1;
            }
        }
        if (equals == 0 || commas != equals - 1) {
            return failAt("invalid field format");
        }
        return i;
    }

    /** From just past an opening quote: the index past the closing one, or -1 when there is none. */
    private static int skipString(byte[] b, int i, int to) {
        while (i < to) {
            byte c = b[i];
            if (c == '"') {
                return i + 1;
            }
            i += c == '\\' && i + 1 < to ? 2 : 1;
        }
        return -1;
    }

    /**
     * Go's walkFields, run by parsePoint after scanFields, and the same split as the storage engine's
     * FieldIterator: keys end at the first '=' not preceded by a backslash, values at the first ',' outside
     * quotes, where only \" and \\ are escapes. Rejects what parsePoint rejects there, and notes what the
     * engine could not store.
     */
    private boolean walkFieldsAsStored(byte[] b, int i, int to, int keyLength) {
        onlyTimeFields = true;
        while (i < to) {
            int keyTo = i;
            while (keyTo < to && !(b[keyTo] == '=' && (keyTo == i || b[keyTo - 1] != '\\'))) {
                keyTo++;
            }
            if (keyTo > to - 2) {
                return fail("invalid value: field-key=" + new String(b, i, keyTo - i, StandardCharsets.UTF_8));
            }
            int seriesKeySize = keyLength + 4 + (keyTo - i);
            if (seriesKeySize > MAX_KEY_LENGTH) {
                return fail("max key length exceeded: " + seriesKeySize + " > " + MAX_KEY_LENGTH);
            }
            int valueTo = keyTo + 1;
            boolean quoted = false;
            while (valueTo < to) {
                byte c = b[valueTo];
                if (c == '\\' && valueTo + 1 < to && (b[valueTo + 1] == '"' || b[valueTo + 1] == '\\')) {
                    valueTo += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    break;
                }
                valueTo++;
            }
            if (!isTime(b, i, keyTo)) {
                onlyTimeFields = false;
                if (engineError == null) {
                    engineError = StoredValues.error(b, i, keyTo, keyTo + 1, valueTo);
                }
            }
            i = valueTo + 1;
        }
        return true;
    }

    /** Go's scanNumber from the first byte of a value; returns the index past it, or -1. */
    private int scanNumber(byte[] b, int i, int to) {
        final int start = i;
        boolean isInt = false;
        boolean isUnsigned = false;
        if (b[i] == '-') {
            i++;
            if (i == to) {
                return failAt("invalid number");
            }
        }
        boolean decimal = false;
        boolean scientific = false;
        // long runs of digits are skipped eight at a time, tried where a run starts (and after the '.'):
        // a short value fails the try once, not at every digit
        boolean wordwise = true;
        while (i < to) {
            if (wordwise && i + 8 <= to) {
                if (ByteSearch.eightDigits(b, i)) {
                    i += 8;
                    continue;
                }
                wordwise = false;
            }
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                i++;
                continue;
            }
            if (c == ',' || c == ' ') {
                break;
            }
            if (c == 'i' && i > start && !(isInt || isUnsigned)) {
                isInt = true;
                i++;
                continue;
            }
            if (c == 'u' && i > start && !(isInt || isUnsigned)) {
                isUnsigned = true;
                i++;
                continue;
            }
            if (c == '.') {
                if (decimal) {
                    return failAt("invalid number");
                }
                decimal = true;
                wordwise = true;
            }
            if (i > start && (c == 'e' || c == 'E')) {
                scientific = true;
                i++;
                continue;
            }
            if ((c == '+' || c == '-') && (b[i - 1] == 'e' || b[i - 1] == 'E')) {
                i++;
                continue;
            }
            if (c != '.') {
                return failAt("invalid number"); // includes NaN and anything not numeric
            }
            i++;
        }
        if ((isInt || isUnsigned) && (decimal || scientific)) {
            return failAt("invalid number");
        }
        int numericDigits = i - start;
        if (isInt) {
            numericDigits--;
        }
        if (decimal) {
            numericDigits--;
        }
        if (b[start] == '-') {
            numericDigits--;
        }
        if (numericDigits == 0) {
            return failAt("invalid number");
        }
        if (isInt) {
            if (b[i - 1] != 'i') {
                return failAt("invalid number");
            }
            if (!GoNumbers.fitsInt64(b, start, i - 1)) {
                return failAt("unable to parse integer " + ascii(b, start, i - 1) + ": "
                        + GoNumbers.parseIntError(b, start, i - 1));
            }
        } else if (isUnsigned) {
            if (!unsignedSupported || b[i - 1] != 'u' || b[start] == '-') {
                return failAt("invalid number");
            }
            if (!GoNumbers.fitsUint64(b, start, i - 1)) {
                return failAt("unable to parse unsigned " + ascii(b, start, i - 1) + ": "
                        + GoNumbers.parseUintError(b, start, i - 1));
            }
        } else if (scientific || i - start >= 25) {
            if (GoNumbers.parseFloatFails(b, start, i)) {
                return failAt("invalid float");
            }
        }
        return i;
    }

    /** Go's scanBoolean: t T true True TRUE f F false False FALSE. */
    private int scanBoolean(byte[] b, int i, int to) {
        final int start = i;
        byte first = b[i];
        if (first != 't' && first != 'f' && first != 'T' && first != 'F') {
            return failAt("invalid boolean");
        }
        i++;
        while (i < to && b[i] != ',' && b[i] != ' ') {
            i++;
        }
        int length = i - start;
        if (length == 1) {
            return i;
        }
        boolean valid;
        switch (first) {
            case 't':
                valid = matches(b, start, length, "true");
                break;
            case 'f':
                valid = matches(b, start, length, "false");
                break;
            case 'T':
                valid = matches(b, start, length, "TRUE") || matches(b, start, length, "True");
                break;
            default:
                valid = matches(b, start, length, "FALSE") || matches(b, start, length, "False");
                break;
        }
        return valid ? i : failAt("invalid boolean");
    }

    private static boolean matches(byte[] b, int from, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (b[from + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Go's scanTime plus the checks parsePoint makes on what it found. */
    private boolean scanTimestamp(byte[] b, int i, int to) {
        i = skipWhitespace(b, i, to);
        final int start = i;
        if (i < to && b[i] == '-') {
            i++;
        }
        while (i + 8 <= to && ByteSearch.eightDigits(b, i)) {
            i += 8; // today's nanosecond timestamps are 19 digits
        }
        while (i < to) {
            byte c = b[i];
            if (c == '\n' || c == ' ') {
                break;
            }
            if (c < '0' || c > '9') {
                return fail("bad timestamp"); // a leading '-' was stepped over above
            }
            i++;
        }
        if (i == start) {
            return true; // none: influxd would stamp it, the relay will
        }
        int digits = b[start] == '-' ? i - start - 1 : i - start;
        // 18 digits always fit an int64
        if (digits == 0 || digits > 18 && !GoNumbers.fitsInt64(b, start, i)) {
            return fail(GoNumbers.parseIntError(b, start, i));
        }
        timestamp = GoNumbers.parseInt64(b, start, i);
        if (!inTimeRange(timestamp)) {
            return fail("time outside range " + MIN_NANO_TIME + " - " + MAX_NANO_TIME);
        }
        timestampEnd = i;
        for (; i < to; i++) {
            if (b[i] != ' ') {
                return fail("point is invalid");
            }
        }
        return true;
    }

    /** models.SafeCalcTime of influxd 1.6, including its overflow test. */
    private boolean inTimeRange(long timestamp) {
        long nanos;
        if (timestamp == 0 || timestamp == 1 || nanosPerUnit == 1) {
            nanos = timestamp * nanosPerUnit;
        } else {
            if (timestamp == MIN_NANO_TIME) {
                return false;
            }
            nanos = timestamp * nanosPerUnit;
            if (nanos / nanosPerUnit != timestamp) {
                return false;
            }
        }
        return nanos >= MIN_NANO_TIME && nanos <= MAX_NANO_TIME;
    }

    /** The checks influxd's shard makes on a parsed point, which fail the write with a 400 as well. */
    private boolean checkWriteRules(byte[] b, int from) {
        for (int t = 0; t < tagCount; t++) {
            if (isTime(b, tagKeyFrom[t], tagKeyTo[t])) {
                return fail("invalid tag key: input tag \"time\" on measurement \"" + measurementName(b, from) + "\" is invalid");
            }
        }
        if (onlyTimeFields) {
            return fail("invalid field name: input field \"time\" on measurement \"" + measurementName(b, from) + "\" is invalid");
        }
        return engineError == null || fail(engineError);
    }

    private static boolean isTime(byte[] b, int from, int to) {
        return to - from == 4 && b[from] == 't' && b[from + 1] == 'i' && b[from + 2] == 'm' && b[from + 3] == 'e';
    }

    /** The measurement as influxd names it in messages: Go's escape.Unescape of the raw bytes. */
    static String measurementName(byte[] b, int from) {
        int to = from + 1;
        while (!((b[to] == ' ' || b[to] == ',') && b[to - 1] != '\\')) {
            to++;
        }
        byte[] name = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\' && i + 1 < to) {
                byte next = b[i + 1];
                if (next == ',' || next == '"' || next == ' ' || next == '=') {
                    name[n++] = next;
                    i++;
                    continue;
                }
            }
            name[n++] = b[i];
        }
        return new String(name, 0, n, StandardCharsets.UTF_8);
    }

    static int skipWhitespace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == 0)) {
            i++;
        }
        return i;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private boolean fail(String why) {
        reason = why;
        return false;
    }

    private int failAt(String why) {
        reason = why;
        return -1;
    }
}
