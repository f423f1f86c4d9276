package io.influxrelay.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One pass over an InfluxQL query, yielding its significant tokens; whitespace and comments are dropped.
 * It follows InfluxQL's scanner (influxdata/influxql {@code scanner.go}) where that decides what belongs
 * together:
 * <ul>
 *   <li>strings {@code '...'} and quoted identifiers {@code "..."} escape with a backslash ({@code 'it\'s'}); a
 *       doubled quote is not an escape ({@code 'it''s'} is two strings);</li>
 *   <li>{@code --} comments run to the end of the line, {@code /* *}{@code /} comments do not nest;</li>
 *   <li>a regex {@code /.../} ends at the first {@code /} not preceded by a backslash ({@code \/} is a slash
 *       even after another backslash, as InfluxQL reads it).</li>
 * </ul>
 * A literal or comment left open runs to the end of {@code q}: InfluxDB refuses such a query as a whole.
 *
 * <p>Whether a {@code /} opens a regex or divides depends, in InfluxQL, on what its parser expects there. This
 * tokenizer decides from the token before it instead: after an operand (an identifier, a number, a string,
 * {@code )} or {@code *}) it is division, anywhere else a regex. Where the parser reads a regex (after
 * {@code SELECT}, {@code FROM}, {@code BY}, {@code ,}, {@code .}, {@code =~}, {@code !~}, {@code =}) no operand
 * precedes it, and a division always follows one, so the two readings agree on every query InfluxDB accepts
 * (and it accepts none of a {@code q} with a syntax error). {@code /*} always opens a comment: no valid regex
 * starts with {@code *}.
 */
final class InfluxQlTokenizer {

    /** InfluxQL's reserved words (influxql {@code token.go}), except TRUE and FALSE, which are operands. */
    private static final Set<String> KEYWORDS = Set.of(
            "ALL", "ALTER", "ANALYZE", "AND", "ANY", "AS", "ASC", "BEGIN", "BY", "CARDINALITY", "CONTINUOUS",
            "CREATE", "DATABASE", "DATABASES", "DEFAULT", "DELETE", "DESC", "DESTINATIONS", "DIAGNOSTICS",
            "DISTINCT", "DROP", "DURATION", "END", "EVERY", "EXACT", "EXPLAIN", "FIELD", "FOR", "FROM", "GRANT",
            "GRANTS", "GROUP", "GROUPS", "IN", "INF", "INSERT", "INTO", "KEY", "KEYS", "KILL", "LIMIT",
            "MEASUREMENT", "MEASUREMENTS", "NAME", "OFFSET", "ON", "OR", "ORDER", "PASSWORD", "POLICIES", "POLICY",
            "PRIVILEGES", "QUERIES", "QUERY", "READ", "REPLICATION", "RESAMPLE", "RETENTION", "REVOKE", "SELECT",
            "SERIES", "SET", "SHARD", "SHARDS", "SHOW", "SLIMIT", "SOFFSET", "STATS", "SUBSCRIPTION",
            "SUBSCRIPTIONS", "TAG", "TO", "USER", "USERS", "VALUES", "WHERE", "WITH", "WRITE");

    private static final Set<String> TWO_CHAR_OPERATORS = Set.of("=~", "!~", "!=", "<>", "<=", ">=", "::");

    private InfluxQlTokenizer() {
    }

    static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toUpperCase(Locale.ROOT));
    }

    static List<Token> tokenize(String q) {
        List<Token> tokens = new ArrayList<>();
        int n = q.length();
        int i = 0;
        while (i < n) {
            char c = q.charAt(i);
            char next = i + 1 < n ? q.charAt(i + 1) : 0;
            int start = i;
            Token.Type type;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            } else if (c == '-' && next == '-') {
                i = endOfLine(q, i + 2);
                continue;
            } else if (c == '/' && next == '*') {
                i = endOfBlockComment(q, i + 2);
                continue;
            } else if (c == '/' && !followsOperand(tokens)) {
                type = Token.Type.REGEX;
                i = endOfRegex(q, i + 1);
            } else if (c == '\'' || c == '"') {
                type = c == '\'' ? Token.Type.STRING : Token.Type.QUOTED_IDENTIFIER;
                i = endOfQuoted(q, i + 1, c);
            } else if (c == ';') {
                type = Token.Type.SEMICOLON;
                i++;
            } else if (isLetter(c) || c == '_') {
                type = Token.Type.WORD;
                i = endOfWord(q, i);
            } else if (isDigit(c) || (c == '.' && isDigit(next))) {
                type = Token.Type.NUMBER;
                i = endOfNumber(q, i);
            } else {
                type = Token.Type.OPERATOR;
                i += TWO_CHAR_OPERATORS.contains(q.substring(i, Math.min(i + 2, n))) ? 2 : 1;
            }
            tokens.add(new Token(type, q.substring(start, i), start, i));
        }
        return tokens;
    }

    /** Whether the last token is an operand, so that a '/' after it divides. */
    private static boolean followsOperand(List<Token> tokens) {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        return switch (last.type()) {
            case WORD -> !isKeyword(last.text());
            case NUMBER, STRING, QUOTED_IDENTIFIER, REGEX -> true;
            case OPERATOR -> last.text().equals(")") || last.text().equals("*");
            case SEMICOLON -> false;
        };
    }

    private static int endOfLine(String q, int i) {
        while (i < q.length() && q.charAt(i) != '\n' && q.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private static int endOfBlockComment(String q, int i) {
        int close = q.indexOf("*/", i);
        return close < 0 ? q.length() : close + 2;
    }

    /** The end of a quoted string or identifier whose content starts at i: past the closing quote. */
    private static int endOfQuoted(String q, int i, char quote) {
        while (i < q.length()) {
            char c = q.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return q.length();
    }

    /** The end of a regex whose content starts at i. Only '/' is escaped: "\\/" is a backslash then a slash. */
    private static int endOfRegex(String q, int i) {
        while (i < q.length()) {
            char c = q.charAt(i);
            if (c == '\\' && i + 1 < q.length() && q.charAt(i + 1) == '/') {
                i += 2;
            } else if (c == '/') {
                return i + 1;
            } else {
                i++;
            }
        }
        return q.length();
    }

    private static int endOfWord(String q, int i) {
        while (i < q.length() && (isLetter(q.charAt(i)) || isDigit(q.charAt(i)) || q.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    /** Digits and a fraction ({@code 1.5}, {@code .5}), or digits and a duration's units ({@code 10m}, {@code 5µs}). */
    private static int endOfNumber(String q, int i) {
        i = endOfDigits(q, i);
        if (i < q.length() && q.charAt(i) == '.') {
            return endOfDigits(q, i + 1);
        }
        while (i < q.length() && (isLetter(q.charAt(i)) || isDigit(q.charAt(i)) || q.charAt(i) == 'µ')) {
            i++;
        }
        return i;
    }

    private static int endOfDigits(String q, int i) {
        while (i < q.length() && isDigit(q.charAt(i))) {
            i++;
        }
        return i;
    }

    /** ASCII only, as InfluxQL: other letters may appear only inside quotes. */
    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
