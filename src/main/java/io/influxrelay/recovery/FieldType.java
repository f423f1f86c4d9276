package io.influxrelay.recovery;

/** A field's type as SHOW FIELD KEYS names it; it decides how a value is written back as line protocol. */
public enum FieldType {
    FLOAT, INTEGER, STRING, BOOLEAN;

    public static FieldType of(String influxName) {
        return switch (influxName) {
            case "float" -> FLOAT;
            case "integer" -> INTEGER;
            case "string" -> STRING;
            case "boolean" -> BOOLEAN;
            default -> throw new IllegalArgumentException("unknown field type: " + influxName);
        };
    }

    /** Only numbers have a sum a check can compare. */
    public boolean numeric() {
        return this == FLOAT || this == INTEGER;
    }
}
