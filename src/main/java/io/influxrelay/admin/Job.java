package io.influxrelay.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job as the relay reports it (GET /relay/jobs/ID). Read field by field rather than bound to a
 * class, so fields the relay adds later pass through to --json untouched.
 */
record Job(JsonNode json) {

    String id() {
        return json.path("id").asText("?");
    }

    String kind() {
        return json.path("kind").asText("job");
    }

    String state() {
        return json.path("state").asText("?");
    }

    boolean finished() {
        return state().equals("done") || state().equals("failed");
    }

    boolean failed() {
        return state().equals("failed");
    }

    String from() {
        return json.path("from").asText("?");
    }

    String to() {
        return json.path("to").asText("?");
    }

    /** Null or absent numbers read as zero: a job just started reports no progress yet. */
    long done() {
        return json.path("progress").path("done").asLong(0);
    }

    long total() {
        return json.path("progress").path("total").asLong(0);
    }

    long points() {
        return json.path("progress").path("points").asLong(0);
    }

    double elapsedSeconds() {
        return json.path("elapsedSeconds").asDouble(0);
    }

    String error() {
        JsonNode e = json.path("error");
        return e.isNull() || e.isMissingNode() ? null : e.asText();
    }

    JsonNode result() {
        return json.path("result");
    }
}
