package io.influxrelay.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ledger as JSON: in its file, times as exact nanoseconds; for operators (/relay/missing-data,
 * /status), as RFC 3339 times.
 */
public final class LedgerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private LedgerJson() {
    }

    /** A nanosecond time as RFC 3339, as InfluxDB prints it. */
    public static String time(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
    }

    static ObjectNode fileDocument(Map<String, List<MissingRange>> ledger) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 1);
        ObjectNode backends = root.putObject("backends");
        ledger.forEach((backend, ranges) -> {
            ArrayNode list = backends.putArray(backend);
            for (MissingRange r : ranges) {
                ObjectNode n = list.addObject();
                n.put("db", r.db()).put("rp", r.rp()).put("startNs", r.startNs()).put("endNs", r.endNs())
                        .put("points", r.points()).put("since", r.since().toString());
                r.reasons().forEach(n.putArray("reasons")::add);
            }
        });
        return root;
    }

    static Map<String, List<MissingRange>> fromFile(JsonNode root) {
        Map<String, List<MissingRange>> ledger = new LinkedHashMap<>();
        root.path("backends").fields().forEachRemaining(e -> {
            List<MissingRange> ranges = new java.util.ArrayList<>();
            for (JsonNode n : e.getValue()) {
                TreeSet<String> reasons = new TreeSet<>();
                n.path("reasons").forEach(r -> reasons.add(r.asText()));
                ranges.add(new MissingRange(n.path("db").asText(), n.path("rp").asText(), n.path("startNs").asLong(),
                        n.path("endNs").asLong(), n.path("points").asLong(), reasons, Instant.parse(n.path("since").asText())));
            }
            ledger.put(e.getKey(), ranges);
        });
        return ledger;
    }

    /** One backend's ranges for operators. */
    public static ArrayNode ranges(List<MissingRange> ranges) {
        ArrayNode list = MAPPER.createArrayNode();
        for (MissingRange r : ranges) {
            ObjectNode n = list.addObject();
            n.put("db", r.db()).put("rp", r.rp()).put("start", time(r.startNs())).put("end", time(r.endNs()))
                    .put("points", r.points());
            r.reasons().forEach(n.putArray("reasons")::add);
            n.put("since", r.since().toString());
        }
        return list;
    }

    /** The whole ledger for operators: {"backends":{"b":[...]}}. */
    public static String document(Map<String, List<MissingRange>> ledger) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode backends = root.putObject("backends");
        ledger.forEach((backend, ranges) -> backends.set(backend, ranges(ranges)));
        return root.toString();
    }
}
