package io.influxrelay.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.Durations;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An operator's check or resync request, as the management endpoints take it (JSON):
 * {"from":"a","to":"b","db":"mydb","rp":null,"start":ns or RFC 3339,"end":...,"measurements":[],"window":"1h"}.
 * Whatever is wrong with it is said in one message, for a 400.
 */
record OperationRequest(BackendConfig from, BackendConfig to, RangeSpec spec, Duration window) {

    /** A request the relay cannot take; {@code status} 400 (malformed) or 404 (an unknown backend). */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static OperationRequest parse(String body, Map<String, BackendConfig> backends, Duration defaultWindow) throws Refused {
        JsonNode json;
        try {
            json = LedgerJson.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            throw new Refused(400, "the request is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (!json.isObject()) {
            throw new Refused(400, "the request must be a JSON object");
        }
        BackendConfig from = backend(json, "from", backends);
        BackendConfig to = backend(json, "to", backends);
        if (from.name().equals(to.name())) {
            throw new Refused(400, "from and to name the same backend: " + from.name());
        }
        String db = text(json, "db");
        if (db == null || db.isEmpty()) {
            throw new Refused(400, "db is required");
        }
        long start = time(json, "start");
        long end = time(json, "end");
        if (start >= end) {
            throw new Refused(400, "start must lie before end");
        }
        List<String> measurements = new ArrayList<>();
        json.path("measurements").forEach(m -> measurements.add(m.asText()));
        Duration window = defaultWindow;
        if (text(json, "window") != null) {
            try {
                window = Durations.parse("window", text(json, "window"));
            } catch (RuntimeException e) {
                throw new Refused(400, "window: " + e.getMessage());
            }
            if (window.isZero() || window.isNegative()) {
                throw new Refused(400, "window must be positive");
            }
        }
        return new OperationRequest(from, to, new RangeSpec(db, text(json, "rp"), start, end, List.copyOf(measurements)), window);
    }

    private static BackendConfig backend(JsonNode json, String field, Map<String, BackendConfig> backends) throws Refused {
        String name = text(json, field);
        if (name == null) {
            throw new Refused(400, field + " is required: a backend name (" + String.join(", ", backends.keySet()) + ")");
        }
        BackendConfig backend = backends.get(name);
        if (backend == null) {
            throw new Refused(404, "unknown backend: " + name + " (" + String.join(", ", backends.keySet()) + ")");
        }
        return backend;
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Nanoseconds since the epoch, given as a number or as RFC 3339 text. */
    private static long time(JsonNode json, String field) throws Refused {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            throw new Refused(400, field + " is required: nanoseconds since the epoch or an RFC 3339 time");
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        try {
            Instant t = Instant.parse(n.asText());
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new Refused(400, field + ": '" + n.asText() + "' is not an RFC 3339 time nor nanoseconds");
        }
    }
}
