package io.influxrelay.query;

/**
 * One statement of a {@code q}. Its text is exactly as written, from its first token to its last: comments
 * inside it are kept, the whitespace and comments around it and its {@code ;} are not.
 */
public record Statement(StatementType type, String text) {

    public StatementKind kind() {
        return type.kind();
    }

    /** Its name in InfluxQL's spec ("CREATE DATABASE", "SELECT INTO", ...), or "UNKNOWN". */
    public String verb() {
        return type.verb();
    }

    /** Its significant tokens, read again from its text by the relay's InfluxQL tokenizer (for readers outside this package). */
    public java.util.List<Token> tokens() {
        return InfluxQlTokenizer.tokenize(text);
    }
}
