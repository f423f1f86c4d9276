package io.influxrelay.sharding;

import io.influxrelay.backend.BackendRoutes;
import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.fanout.Answer;
import io.influxrelay.fanout.Consistency;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.lineprotocol.LineRanges;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Splits writes among the shards: a {@link ShardSplitter} rides along the scanner's one pass, then
 * each shard with lines gets its part, answered by the response rules among its own backends and
 * buffered for them, and the client's answer combines the parts ({@link ShardedAnswer}).
 */
public final class ShardRouter {
    private final ShardLayout layout;
    private final RetryBuffers buffers;
    private final ShardMetrics metrics;
    private final String[] recipients;
    private final ShardCache cache = new ShardCache();
    private final List<List<String>> names = new ArrayList<>();

    public ShardRouter(ShardLayout layout, RetryBuffers buffers, ShardMetrics metrics) {
        this.layout = layout;
        this.buffers = buffers;
        this.metrics = metrics;
        this.recipients = new String[layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            recipients[i] = BackendRoutes.recipients(layout.backends(i));
            names.add(layout.backends(i).stream().map(io.influxrelay.config.BackendConfig::name).toList());
        }
    }

    public ShardSplitter splitter(String db) {
        return new ShardSplitter(layout, db, metrics, cache);
    }

    /** The write's parts, one per shard that has lines. */
    public List<ShardWrite> parts(ShardSplitter split, Consistency consistency, String query, String authorization) {
        List<ShardWrite> parts = new ArrayList<>(layout.size());
        for (int i = 0; i < layout.size(); i++) {
            LineRanges lines = split.lines(i);
            if (lines == null) {
                continue;
            }
            metrics.routed(i, split.points(i), lines.length());
            long arrived = System.nanoTime();
            // the part's lines are copied out only if one of its backends misses them
            WriteOutcome outcome = new WriteOutcome(consistency, names.get(i), buffers, BufferedWrite.Kind.LINES,
                    () -> new BufferedWrite(query, authorization, lines.bytes(), arrived));
            parts.add(new ShardWrite(layout.name(i), lines, split.points(i), outcome, names.get(i), recipients[i]));
        }
        return parts;
    }

    /**
     * One shard's part of a write whose payload was cut for that shard elsewhere (a Prometheus remote write,
     * regrouped by series): fanned out, answered and buffered like a part of a line-protocol write.
     */
    public ShardWrite part(int shard, byte[] payload, int points, Consistency consistency, String query,
                           String authorization, BufferedWrite.Kind kind) {
        metrics.routed(shard, points, payload.length);
        WriteOutcome outcome = new WriteOutcome(consistency, names.get(shard), buffers,
                new BufferedWrite(query, authorization, payload, System.nanoTime(), kind));
        return new ShardWrite(layout.name(shard), LineRanges.of(payload), points, outcome, names.get(shard), recipients[shard]);
    }

    public ShardLayout layout() {
        return layout;
    }

    /**
     * Puts a split write's parts on the exchange for direct:shard-fanout, with its recipients (every backend
     * of the shards it has lines for); returns the client's answer to come, which combines the parts'.
     */
    public static CompletableFuture<Answer> route(Exchange exchange, List<ShardWrite> parts) {
        exchange.setProperty(ShardWrite.PARTS, parts);
        exchange.setProperty(ShardWrite.RECIPIENTS, String.join(",", parts.stream().map(ShardWrite::recipients).toList()));
        return parts.isEmpty() ? CompletableFuture.completedFuture(Answer.ACCEPTED)
                : ShardedAnswer.of(parts.stream().map(p -> p.outcome().answer()).toList());
    }
}
