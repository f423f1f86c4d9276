package io.influxrelay.query;

/** One significant token of an InfluxQL query: its type, its text and where it lies in {@code q}. */
public record Token(Type type, String text, int start, int end) {

    public enum Type {
        /** A bare identifier or keyword: letters, digits and '_', not starting with a digit. */
        WORD,
        /** An integer, a decimal or a duration ({@code 10}, {@code 1.5}, {@code 10m}). */
        NUMBER,
        /** A single-quoted string literal, quotes included. */
        STRING,
        /** A double-quoted identifier, quotes included. */
        QUOTED_IDENTIFIER,
        /** A regex literal, slashes included. */
        REGEX,
        /** Any other symbol: {@code = =~ !~ != <> <= >= :: ( ) , . * /} and the rest. */
        OPERATOR,
        SEMICOLON
    }

    /** Whether this is the bare word {@code keyword}, in any case (InfluxQL's keywords are case-insensitive). */
    public boolean isKeyword(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    public boolean isOperator(String operator) {
        return type == Type.OPERATOR && text.equals(operator);
    }
}
