package io.influxrelay.sharding;

import io.influxrelay.query.Statement;

import java.util.Set;

/**
 * Which measurements a read statement touches, so that it goes to the one shard holding them, or to every shard
 * and the answers are merged ({@link ShardAnswers}). Read from the statement's tokens, not by running it: a
 * statement InfluxDB would refuse gets some scope, and whichever shard answers refuses it alike.
 */
public sealed interface ReadScope {

    /**
     * Any one shard can answer (every shard holds every database, policy and user): SHOW DATABASES, RETENTION
     * POLICIES, USERS, GRANTS, CONTINUOUS QUERIES, SUBSCRIPTIONS, SHARDS, SHARD GROUPS, QUERIES, STATS,
     * DIAGNOSTICS, and any other statement that names no measurement.
     */
    record AnyShard() implements ReadScope {
    }

    /**
     * Every shard must answer and the answers be merged: a regex source ({@code FROM /re/}, also inside a
     * subquery), SHOW MEASUREMENTS (but {@code WITH MEASUREMENT = m}), SHOW MEASUREMENT CARDINALITY, and SHOW
     * SERIES / TAG KEYS / TAG VALUES / FIELD KEYS and their CARDINALITY forms without a FROM.
     */
    record AllShards() implements ReadScope {
    }

    /** Exactly these measurements, each with its database: the source's own, else the statement's ON, else the request's db. */
    record Measurements(Set<Source> sources) implements ReadScope {
        public Measurements {
            sources = Set.copyOf(sources);
        }
    }

    /** A measurement and its database, unquoted; db is null when neither the source, ON nor the request names one. */
    record Source(String db, String measurement) {
    }

    /** The scope of a read statement; {@code defaultDb} is the request's {@code db} parameter, or null. */
    static ReadScope of(Statement statement, String defaultDb) {
        return SourceReader.scope(statement.type(), statement.tokens(), defaultDb);
    }
}
