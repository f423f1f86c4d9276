package io.influxrelay.sharding;

import io.influxrelay.query.StatementType;
import io.influxrelay.query.Token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the sources of a statement from its tokens: every {@code FROM} list (the statement's own and each
 * subquery's, since a subquery's FROM is a FROM token like any other), {@code ON db}, and SHOW MEASUREMENTS'
 * {@code WITH MEASUREMENT = m}.
 */
final class SourceReader {
    /** Statements answered from the measurements in their FROM, or from every shard without one. */
    private static final Set<StatementType> FROM_OR_ALL = Set.of(
            StatementType.SELECT, StatementType.SELECT_INTO, StatementType.EXPLAIN, StatementType.EXPLAIN_ANALYZE,
            StatementType.SHOW_SERIES, StatementType.SHOW_TAG_KEYS, StatementType.SHOW_TAG_VALUES,
            StatementType.SHOW_FIELD_KEYS, StatementType.SHOW_SERIES_CARDINALITY,
            StatementType.SHOW_SERIES_EXACT_CARDINALITY, StatementType.SHOW_TAG_KEY_CARDINALITY,
            StatementType.SHOW_TAG_KEY_EXACT_CARDINALITY, StatementType.SHOW_TAG_VALUES_CARDINALITY,
            StatementType.SHOW_TAG_VALUES_EXACT_CARDINALITY, StatementType.SHOW_FIELD_KEY_CARDINALITY,
            StatementType.SHOW_FIELD_KEY_EXACT_CARDINALITY);

    /** The keywords that may follow a FROM list (and ON db), so that none is read as a measurement. */
    private static final Set<String> ENDS_SOURCES = Set.of("WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "SLIMIT",
            "SOFFSET", "WITH", "FROM", "ON", "INTO");

    private final List<Token> tokens;
    private final String db;
    private final Set<ReadScope.Source> sources = new LinkedHashSet<>();
    private boolean everyShard;

    private SourceReader(List<Token> tokens, String db) {
        this.tokens = tokens;
        this.db = db;
    }

    static ReadScope scope(StatementType type, List<Token> tokens, String defaultDb) {
        SourceReader reader = new SourceReader(tokens, onDatabase(tokens, defaultDb));
        if (type == StatementType.SHOW_MEASUREMENTS || type == StatementType.SHOW_MEASUREMENT_CARDINALITY
                || type == StatementType.SHOW_MEASUREMENT_EXACT_CARDINALITY) {
            return reader.withMeasurement(type);
        }
        if (!FROM_OR_ALL.contains(type)) {
            return new ReadScope.AnyShard();
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isKeyword("FROM")) {
                reader.readSources(i + 1);
            }
        }
        if (reader.everyShard) {
            return new ReadScope.AllShards();
        }
        if (reader.sources.isEmpty()) {
            // a SELECT without a FROM is refused by every shard alike; a SHOW without one lists every measurement
            return type == StatementType.SELECT || type == StatementType.SELECT_INTO || type.name().startsWith("EXPLAIN")
                    ? new ReadScope.AnyShard() : new ReadScope.AllShards();
        }
        return new ReadScope.Measurements(reader.sources);
    }

    /** {@code SHOW MEASUREMENTS WITH MEASUREMENT = m} is m's shard alone; any other SHOW MEASUREMENTS needs them all. */
    private ReadScope withMeasurement(StatementType type) {
        for (int i = 0; i + 3 < tokens.size(); i++) {
            if (type == StatementType.SHOW_MEASUREMENTS && tokens.get(i).isKeyword("WITH")
                    && tokens.get(i + 1).isKeyword("MEASUREMENT") && tokens.get(i + 2).isOperator("=")
                    && isName(tokens.get(i + 3))) {
                return new ReadScope.Measurements(Set.of(new ReadScope.Source(db, name(tokens.get(i + 3)))));
            }
        }
        return new ReadScope.AllShards();
    }

    /** The list after a FROM: sources separated by commas, each a subquery (read at its own FROM), a regex or a name. */
    private void readSources(int i) {
        while (i < tokens.size()) {
            int next = tokens.get(i).isOperator("(") ? afterParenthesis(i) : readSource(i);
            if (next == i || next >= tokens.size() || !tokens.get(next).isOperator(",")) {
                return;
            }
            i = next + 1;
        }
    }

    /** Reads one {@code [db.][rp.]measurement} (a part may be empty: {@code db..m}) or regex; the index after it. */
    private int readSource(int i) {
        List<String> parts = new ArrayList<>();
        boolean regex = false;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            if (token.type() == Token.Type.REGEX || isName(token)) {
                regex = token.type() == Token.Type.REGEX;
                parts.add(name(token));
                i++;
            } else if (token.isOperator(".") && !parts.isEmpty()) {
                parts.add(""); // "db..m": the default retention policy
            } else {
                break;
            }
            if (i >= tokens.size() || !tokens.get(i).isOperator(".")) {
                break;
            }
            i++;
        }
        if (regex) {
            everyShard = true;
        } else if (!parts.isEmpty()) {
            sources.add(new ReadScope.Source(parts.size() >= 3 ? parts.get(0) : db, parts.get(parts.size() - 1)));
        }
        return i;
    }

    private int afterParenthesis(int i) {
        int depth = 0;
        for (; i < tokens.size(); i++) {
            if (tokens.get(i).isOperator("(")) {
                depth++;
            } else if (tokens.get(i).isOperator(")") && --depth == 0) {
                return i + 1;
            }
        }
        return i;
    }

    /** The database of {@code ON db} (SHOW statements), else the request's. */
    private static String onDatabase(List<Token> tokens, String defaultDb) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isKeyword("ON") && isName(tokens.get(i + 1))) {
                return name(tokens.get(i + 1));
            }
        }
        return defaultDb;
    }

    /** A bare or quoted identifier; a bare keyword cannot name anything in InfluxQL, and ends a FROM list. */
    private static boolean isName(Token token) {
        return token.type() == Token.Type.QUOTED_IDENTIFIER || token.type() == Token.Type.WORD && !ENDS_SOURCES.contains(
                token.text().toUpperCase(java.util.Locale.ROOT));
    }

    /** An identifier's name: quotes removed and InfluxQL's escapes ({@code \" \\ \' \n}) read. */
    static String name(Token token) {
        if (token.type() != Token.Type.QUOTED_IDENTIFIER) {
            return token.text();
        }
        String text = token.text();
        int end = text.length() > 1 && text.charAt(text.length() - 1) == text.charAt(0) ? text.length() - 1 : text.length();
        StringBuilder out = new StringBuilder(end);
        for (int i = 1; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < end) {
                char escaped = text.charAt(++i);
                out.append(escaped == 'n' ? '\n' : escaped);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
