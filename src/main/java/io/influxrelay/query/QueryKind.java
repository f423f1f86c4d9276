package io.influxrelay.query;

/** What a whole {@code q} does, which decides where the relay sends it. */
public enum QueryKind {
    /** No statement at all (empty, blank, only comments or semicolons): InfluxDB answers 400 {@code missing required parameter "q"}. */
    EMPTY,
    /** Only reads: to one backend. */
    READ,
    /** Only changes: to every backend. */
    CHANGE,
    /** Reads and changes: to every backend, since the changes must reach them all. */
    MIXED
}
