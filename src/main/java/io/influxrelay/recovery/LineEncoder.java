package io.influxrelay.recovery;

import java.util.Map;

/**
 * Writes points as InfluxDB 1.x line protocol: each part escaped as the parser expects it
 * (measurement: comma, space; tag keys and values, field keys: comma, equals, space; string values:
 * double quote and backslash), integers with the i suffix, floats as their shortest round-trip text.
 * A name (measurement, tag, field key) with a backslash right before a comma, equals sign or space, or
 * at its end, or with a newline, has no line protocol form in 1.x (influxd escapes nothing else in
 * names); such series cannot be copied exactly.
 */
public final class LineEncoder {
    private LineEncoder() {
    }

    /** The measurement and its tags (empty values omitted, as InfluxDB stores none): the line's head. */
    public static String seriesKey(String measurement, Map<String, String> tags) {
        StringBuilder b = new StringBuilder(measurement.length() + 32);
        escape(b, measurement, false);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getValue() == null || tag.getValue().isEmpty()) {
                continue;
            }
            b.append(',');
            escape(b, tag.getKey(), true);
            b.append('=');
            escape(b, tag.getValue(), true);
        }
        return b.toString();
    }

    public static void fieldKey(StringBuilder b, String key) {
        escape(b, key, true);
    }

    /** A value as read from a /query answer: a String, a Boolean or a {@link NumberText}. */
    public static void fieldValue(StringBuilder b, FieldType type, Object value) {
        switch (type) {
            case STRING -> stringValue(b, value.toString());
            case BOOLEAN -> b.append(value instanceof Boolean bool ? bool.toString() : value.toString());
            case INTEGER -> b.append(((NumberText) value).text()).append('i');
            case FLOAT -> b.append(((NumberText) value).text());
        }
    }

    public static void floatValue(StringBuilder b, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("InfluxDB stores no NaN or infinity");
        }
        // Java's text round-trips; InfluxDB's parser takes "E" as well, the lower case is for readers
        b.append(Double.toString(value).replace('E', 'e'));
    }

    public static void integerValue(StringBuilder b, long value) {
        b.append(value).append('i');
    }

    public static void stringValue(StringBuilder b, String value) {
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    private static void escape(StringBuilder b, String s, boolean equalsToo) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || (equalsToo && c == '=')) {
                b.append('\\');
            }
            b.append(c);
        }
    }
}
