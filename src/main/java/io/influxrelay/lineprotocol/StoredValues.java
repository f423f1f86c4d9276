package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;

/**
 * How influxd's storage engine reads a field value (models.FieldIterator: the type from the first and last
 * byte, then strconv), for the rare points whose values it splits differently from the parser. A value it
 * cannot read fails the whole write with a 500, so the relay must not forward such a point.
 */
final class StoredValues {
    private static final String NUMERIC_FIRST_BYTES = "0123456789-.nNiIu";

    private StoredValues() {
    }

    /** The engine's complaint about the value b[from, to) of the field b[keyFrom, keyTo), or null. */
    static String error(byte[] b, int keyFrom, int keyTo, int from, int to) {
        if (from >= to) {
            return "unknown field type for " + new String(b, keyFrom, keyTo - keyFrom, StandardCharsets.UTF_8);
        }
        byte first = b[from];
        if (first == '"') {
            // influxd 1.6.7 slices value[1:len-1] and crashes the whole process on a lone quote
            return to - from >= 2 ? null : "unable to parse string value " + GoNumbers.quote(b, from, to) + ": it would crash influxd";
        }
        if (NUMERIC_FIRST_BYTES.indexOf(first) < 0) {
            String problem = GoNumbers.parseBoolProblem(b, from, to);
            return problem == null ? null : message("bool", "ParseBool", b, from, to, problem);
        }
        byte last = b[to - 1];
        if (last == 'i') {
            String problem = GoNumbers.parseIntProblem(b, from, to - 1);
            return problem == null ? null : message("integer", "ParseInt", b, from, to - 1, problem);
        }
        if (last == 'u') {
            String problem = GoNumbers.parseUintProblem(b, from, to - 1);
            return problem == null ? null : message("unsigned", "ParseUint", b, from, to - 1, problem);
        }
        String problem = GoNumbers.parseFloatProblem(b, from, to);
        return problem == null ? null : message("floating point", "ParseFloat", b, from, to, problem);
    }

    private static String message(String type, String function, byte[] b, int from, int to, String problem) {
        String quoted = GoNumbers.quote(b, from, to);
        return "unable to parse " + type + " value " + quoted + ": strconv." + function + ": parsing " + quoted + ": " + problem;
    }
}
