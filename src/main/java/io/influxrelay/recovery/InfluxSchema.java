package io.influxrelay.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.influxrelay.config.BackendConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a server holds (databases, retention policies, measurements, field types), and creating what is missing. */
final class InfluxSchema {
    private final InfluxHttp http;

    InfluxSchema(InfluxHttp http) {
        this.http = http;
    }

    boolean hasDatabase(BackendConfig backend, String db) {
        for (JsonNode row : values(http.statement(backend, null, "SHOW DATABASES"))) {
            if (db.equals(row.path(0).asText())) {
                return true;
            }
        }
        return false;
    }

    /** The database's retention policies; empty when the database is not there. */
    List<RetentionPolicy> retentionPolicies(BackendConfig backend, String db) {
        if (!hasDatabase(backend, db)) {
            return List.of();
        }
        JsonNode result = http.statement(backend, null, "SHOW RETENTION POLICIES ON " + InfluxQl.ident(db));
        List<String> columns = columns(result);
        List<RetentionPolicy> policies = new ArrayList<>();
        for (JsonNode row : values(result)) {
            policies.add(new RetentionPolicy(row.path(columns.indexOf("name")).asText(),
                    row.path(columns.indexOf("duration")).asText(),
                    row.path(columns.indexOf("shardGroupDuration")).asText(),
                    row.path(columns.indexOf("replicaN")).asInt(1),
                    row.path(columns.indexOf("default")).asBoolean()));
        }
        return policies;
    }

    List<String> measurements(BackendConfig backend, String db) {
        List<String> names = new ArrayList<>();
        for (JsonNode row : values(http.statement(backend, db, "SHOW MEASUREMENTS ON " + InfluxQl.ident(db)))) {
            names.add(row.path(0).asText());
        }
        return names;
    }

    /** Field keys and types of one measurement in one retention policy, in InfluxDB's order; empty when it has none. */
    Map<String, FieldType> fieldTypes(BackendConfig backend, String db, String rp, String measurement) {
        JsonNode result = http.statement(backend, db, "SHOW FIELD KEYS ON " + InfluxQl.ident(db)
                + " FROM " + InfluxQl.ident(rp) + "." + InfluxQl.ident(measurement));
        Map<String, FieldType> types = new LinkedHashMap<>();
        for (JsonNode row : values(result)) {
            // a field with several types (a conflict across shards) is listed once per type: the first wins
            types.putIfAbsent(row.path(0).asText(), FieldType.of(row.path(1).asText()));
        }
        return types;
    }

    void createDatabase(BackendConfig backend, String db, RetentionPolicy defaultPolicy) {
        String q = "CREATE DATABASE " + InfluxQl.ident(db);
        if (defaultPolicy != null) {
            q += " WITH " + defaultPolicy.clauses() + " NAME " + InfluxQl.ident(defaultPolicy.name());
        }
        http.statement(backend, null, q);
    }

    void createRetentionPolicy(BackendConfig backend, String db, RetentionPolicy rp) {
        http.statement(backend, null, "CREATE RETENTION POLICY " + InfluxQl.ident(rp.name()) + " ON " + InfluxQl.ident(db)
                + " " + rp.clauses() + (rp.isDefault() ? " DEFAULT" : ""));
    }

    private static List<String> columns(JsonNode result) {
        List<String> columns = new ArrayList<>();
        result.path("series").path(0).path("columns").forEach(c -> columns.add(c.asText()));
        return columns;
    }

    /** Every row of every series of a statement's result. */
    private static List<JsonNode> values(JsonNode result) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode series : result.path("series")) {
            series.path("values").forEach(rows::add);
        }
        return rows;
    }
}
