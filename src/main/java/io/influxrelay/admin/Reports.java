package io.influxrelay.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a finished job, the ledger and the job list look like on stdout for a person. */
final class Reports {
    private final String arrow;

    Reports(String arrow) {
        this.arrow = arrow;
    }

    /** One row per differing (series field, window), then one summary line. */
    String check(Job job) {
        JsonNode r = job.result();
        JsonNode differences = r.path("differences");
        StringBuilder b = new StringBuilder();
        Set<String> windows = new LinkedHashSet<>();
        if (differences.size() > 0) {
            Table t = new Table("RP", "MEASUREMENT", "FIELD", "WINDOW START", "WINDOW END",
                    job.from() + " COUNT>", job.to() + " COUNT>", job.from() + " SUM>", job.to() + " SUM>");
            for (JsonNode d : differences) {
                windows.add(d.path("windowStart").asText());
                t.row(text(d, "rp"), text(d, "measurement"), text(d, "field"), text(d, "windowStart"),
                        text(d, "windowEnd"), count(d.path("fromCount")), count(d.path("toCount")),
                        sum(d.path("fromSum")), sum(d.path("toSum")));
            }
            b.append(t).append('\n');
        }
        long fromPoints = r.path("fromPoints").asLong(), toPoints = r.path("toPoints").asLong();
        String points = fromPoints == toPoints ? Numbers.grouped(fromPoints) + " points on each"
                : Numbers.grouped(fromPoints) + " points on " + job.from() + ", " + Numbers.grouped(toPoints) + " on " + job.to();
        String range = job.json().path("start").asText() + " .. " + job.json().path("end").asText();
        long total = r.path("windows").asLong();
        if (r.path("agrees").asBoolean(false)) {
            b.append(job.from()).append(" and ").append(job.to()).append(" agree over ").append(range)
                    .append(" (").append(total).append(total == 1 ? " window, " : " windows, ").append(points).append(")\n");
        } else {
            long n = windows.isEmpty() ? total : windows.size();
            b.append(n).append(" of ").append(total).append(total == 1 ? " window" : " windows")
                    .append(n == 1 ? " differs" : " differ").append(" between ").append(job.from()).append(" and ")
                    .append(job.to()).append(" over ").append(range).append(" (").append(points).append(")\n");
        }
        return b.toString();
    }

    /** The rebalance's keys: what moves where, with its points and state. */
    String rebalance(Job job) {
        JsonNode r = job.result();
        StringBuilder b = new StringBuilder();
        if (r.path("moves").size() > 0) {
            Table t = new Table("DB", "MEASUREMENT", "FROM SHARD", "TO SHARD", "POINTS>", "STATE");
            for (JsonNode m : r.path("moves")) {
                t.row(text(m, "db"), text(m, "measurement"), text(m, "from"), text(m, "to"),
                        Numbers.grouped(m.path("points").asLong()), text(m, "state"));
            }
            b.append(t).append('\n');
        }
        b.append(job.kind()).append(' ').append(job.id()).append(r.path("dryRun").asBoolean(false) ? " (dry run)" : "")
                .append(" done in ").append(Numbers.elapsed(job.elapsedSeconds())).append(": ")
                .append(r.path("moves").size()).append(" keys\n");
        return b.toString();
    }

    String resync(Job job) {
        JsonNode r = job.result();
        StringBuilder b = new StringBuilder();
        b.append(job.kind()).append(' ').append(job.from()).append(' ').append(arrow).append(' ').append(job.to())
                .append(" done in ").append(Numbers.elapsed(job.elapsedSeconds())).append(": ")
                .append(job.json().path("start").asText()).append(" .. ").append(job.json().path("end").asText()).append('\n');
        line(b, "points copied", Numbers.grouped(r.path("points").asLong()));
        line(b, "batches", Numbers.grouped(r.path("batches").asLong()));
        line(b, "rate", Numbers.compact(r.path("pointsPerSecond").asDouble()) + " points/s");
        line(b, "created databases", list(r.path("createdDatabases")));
        line(b, "created retention policies", list(r.path("createdRetentionPolicies")));
        return b.toString();
    }

    String missing(JsonNode ledger) {
        Table t = new Table("BACKEND", "DB", "RP", "START", "END", "POINTS>", "REASONS", "SINCE");
        ledger.path("backends").fields().forEachRemaining(backend -> {
            for (JsonNode range : backend.getValue()) {
                String rp = text(range, "rp");
                t.row(backend.getKey(), text(range, "db"), rp.isEmpty() || rp.equals("-") ? "(default)" : rp,
                        text(range, "start"), text(range, "end"), count(range.path("points")),
                        list(range.path("reasons")), text(range, "since"));
            }
        });
        return t.isEmpty() ? "no backend misses data\n" : t.toString();
    }

    String jobs(JsonNode list) {
        Table t = new Table("ID", "KIND", "STATE", "FROM", "TO", "DB", "START", "END", "CHUNKS>", "POINTS>", "ELAPSED>");
        for (JsonNode node : list.path("jobs")) {
            Job j = new Job(node);
            t.row(j.id(), j.kind(), j.failed() && j.error() != null ? "failed: " + j.error() : j.state(), j.from(), j.to(),
                    text(node, "db"), text(node, "start"), text(node, "end"), j.done() + "/" + j.total(),
                    Numbers.grouped(j.points()), Numbers.elapsed(j.elapsedSeconds()));
        }
        return t.isEmpty() ? "no jobs\n" : t.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append("  ").append(name).append(" ".repeat(Math.max(1, 28 - name.length()))).append(value).append('\n');
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? "-" : v.asText();
    }

    private static String count(JsonNode v) {
        return v.isNumber() ? Numbers.grouped(v.asLong()) : "-";
    }

    private static String sum(JsonNode v) {
        return v.isNumber() ? Numbers.sum(v.asDouble()) : "-";
    }

    private static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
