package io.influxrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A chunked /query answer (InfluxDB's chunked=true: one JSON object a line) decoded into what it says, so that two
 * answers chunked at other boundaries compare: a chunk continues the last result when it has the same statement_id
 * and neither is an error (influxd 1.6 sends some SHOW results in several chunks without a partial flag), and a
 * series piece continues the last series when that one said {@code "partial":true}. Each result and series keeps
 * the partial flag of its last piece, so an answer whose last chunk still says more follows shows it.
 */
public final class ChunkedAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChunkedAnswer() {
    }

    /** {"results":[...]} joined as above; a request-level error line becomes an {"error":...} entry among the results. */
    public static JsonNode decode(String body) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode results = answer.putArray("results");
        try {
            for (String line : body.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line);
                if (chunk.has("error")) {
                    results.add(chunk);
                }
                for (JsonNode result : chunk.path("results")) {
                    add(results, (ObjectNode) result.deepCopy());
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("not a chunked answer: " + body, e);
        }
        return answer;
    }

    private static void add(ArrayNode results, ObjectNode result) {
        JsonNode last = results.isEmpty() ? null : results.get(results.size() - 1);
        if (last == null || last.has("error") || result.has("error")
                || !Objects.equals(last.get("statement_id"), result.get("statement_id"))) {
            results.add(result);
            return;
        }
        ObjectNode into = (ObjectNode) last;
        for (JsonNode series : result.path("series")) {
            ArrayNode all = into.has("series") ? (ArrayNode) into.get("series") : into.putArray("series");
            ObjectNode previous = all.isEmpty() ? null : (ObjectNode) all.get(all.size() - 1);
            if (previous != null && previous.path("partial").asBoolean()
                    && Objects.equals(previous.get("name"), series.get("name")) && Objects.equals(previous.get("tags"), series.get("tags"))) {
                ((ArrayNode) previous.get("values")).addAll((ArrayNode) series.get("values"));
                flag(previous, series.path("partial").asBoolean());
            } else {
                all.add(series);
            }
        }
        if (result.has("messages")) {
            into.set("messages", result.get("messages"));
        }
        flag(into, result.path("partial").asBoolean());
    }

    private static void flag(ObjectNode node, boolean partial) {
        if (partial) {
            node.put("partial", true);
        } else {
            node.remove("partial");
        }
    }
}
