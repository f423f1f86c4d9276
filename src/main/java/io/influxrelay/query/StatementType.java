package io.influxrelay.query;

import java.util.List;

/**
 * Every statement of InfluxDB 1.x's InfluxQL (its spec's statement list and its parser's statement tree) with
 * what it does: the one table from statement to routing. The verb is the statement's name in the spec, a
 * bounded set, so it may label a meter.
 */
public enum StatementType {
    ALTER_RETENTION_POLICY(StatementKind.CHANGE),
    CREATE_CONTINUOUS_QUERY(StatementKind.CHANGE),
    CREATE_DATABASE(StatementKind.CHANGE),
    CREATE_RETENTION_POLICY(StatementKind.CHANGE),
    CREATE_SUBSCRIPTION(StatementKind.CHANGE),
    CREATE_USER(StatementKind.CHANGE),
    DELETE(StatementKind.CHANGE),
    DROP_CONTINUOUS_QUERY(StatementKind.CHANGE),
    DROP_DATABASE(StatementKind.CHANGE),
    DROP_MEASUREMENT(StatementKind.CHANGE),
    DROP_RETENTION_POLICY(StatementKind.CHANGE),
    DROP_SERIES(StatementKind.CHANGE),
    DROP_SHARD(StatementKind.CHANGE),
    DROP_SUBSCRIPTION(StatementKind.CHANGE),
    DROP_USER(StatementKind.CHANGE),
    /** Plans the SELECT without running it, even a SELECT ... INTO. */
    EXPLAIN(StatementKind.READ),
    /** Runs the SELECT to measure it; InfluxDB discards the rows and writes nothing, even for INTO. */
    EXPLAIN_ANALYZE(StatementKind.READ),
    GRANT(StatementKind.CHANGE),
    /**
     * Sent everywhere like every change; note that query ids are per server (SHOW QUERIES on one backend), so the
     * same id may name another query, or none, on the other backends.
     */
    KILL_QUERY(StatementKind.CHANGE),
    REVOKE(StatementKind.CHANGE),
    SELECT(StatementKind.READ),
    /** A SELECT with an INTO clause writes its result. */
    SELECT_INTO(StatementKind.CHANGE),
    SET_PASSWORD(StatementKind.CHANGE),
    SHOW_CONTINUOUS_QUERIES(StatementKind.READ),
    SHOW_DATABASES(StatementKind.READ),
    /** Per server, like SHOW STATS and SHOW QUERIES: the answer describes the one backend that gave it. */
    SHOW_DIAGNOSTICS(StatementKind.READ),
    SHOW_FIELD_KEY_CARDINALITY(StatementKind.READ),
    SHOW_FIELD_KEY_EXACT_CARDINALITY(StatementKind.READ),
    SHOW_FIELD_KEYS(StatementKind.READ),
    SHOW_GRANTS(StatementKind.READ),
    SHOW_MEASUREMENT_CARDINALITY(StatementKind.READ),
    SHOW_MEASUREMENT_EXACT_CARDINALITY(StatementKind.READ),
    SHOW_MEASUREMENTS(StatementKind.READ),
    SHOW_QUERIES(StatementKind.READ),
    SHOW_RETENTION_POLICIES(StatementKind.READ),
    SHOW_SERIES(StatementKind.READ),
    SHOW_SERIES_CARDINALITY(StatementKind.READ),
    SHOW_SERIES_EXACT_CARDINALITY(StatementKind.READ),
    SHOW_SHARD_GROUPS(StatementKind.READ),
    SHOW_SHARDS(StatementKind.READ),
    SHOW_STATS(StatementKind.READ),
    SHOW_SUBSCRIPTIONS(StatementKind.READ),
    SHOW_TAG_KEY_CARDINALITY(StatementKind.READ),
    SHOW_TAG_KEY_EXACT_CARDINALITY(StatementKind.READ),
    SHOW_TAG_KEYS(StatementKind.READ),
    SHOW_TAG_VALUES(StatementKind.READ),
    SHOW_TAG_VALUES_CARDINALITY(StatementKind.READ),
    SHOW_TAG_VALUES_EXACT_CARDINALITY(StatementKind.READ),
    SHOW_USERS(StatementKind.READ),
    /**
     * No InfluxQL statement starts this way, so InfluxDB refuses the whole {@code q} with a parse error and runs
     * none of it. Treated as a change: sent everywhere, every backend gives the same error, and should a newer
     * InfluxDB know the statement, it reaches every backend rather than one.
     */
    UNKNOWN(StatementKind.CHANGE);

    private final StatementKind kind;
    private final List<String> words;

    StatementType(StatementKind kind) {
        this.kind = kind;
        this.words = List.of(name().split("_"));
    }

    public StatementKind kind() {
        return kind;
    }

    /** The statement's name in InfluxQL's spec, e.g. "SHOW TAG VALUES CARDINALITY", "SELECT INTO". */
    public String verb() {
        return String.join(" ", words);
    }

    /** The type of a statement (its tokens, none a semicolon): the longest name its leading keywords spell. */
    static StatementType of(List<Token> statement) {
        StatementType found = UNKNOWN;
        for (StatementType type : values()) {
            if (type != SELECT_INTO && type != UNKNOWN && type.startsWith(statement)
                    && (found == UNKNOWN || type.words.size() > found.words.size())) {
                found = type;
            }
        }
        // INTO is reserved, so a bare INTO anywhere in a SELECT (not in a string, identifier or regex) is its clause
        if (found == SELECT && statement.stream().anyMatch(token -> token.isKeyword("INTO"))) {
            return SELECT_INTO;
        }
        return found;
    }

    private boolean startsWith(List<Token> statement) {
        if (statement.size() < words.size()) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            if (!statement.get(i).isKeyword(words.get(i))) {
                return false;
            }
        }
        return true;
    }
}
