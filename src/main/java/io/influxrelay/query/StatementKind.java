package io.influxrelay.query;

/** What one statement does to an InfluxDB server. */
public enum StatementKind {
    /** Reads only: any one backend can answer it. */
    READ,
    /** Changes data, schema, users or running queries: every backend must run it to stay alike. */
    CHANGE
}
