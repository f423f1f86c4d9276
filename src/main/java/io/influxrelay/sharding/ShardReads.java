package io.influxrelay.sharding;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.query.CaughtUpReplicas;
import io.influxrelay.query.QueryRequest;
import io.influxrelay.query.Statement;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a read goes when backends form shards (routes/query.yaml): statements that name no measurement
 * to any backend (every shard holds every database); reads whose measurements all live in one shard to
 * a caught-up replica of that shard; the rest (several shards, a regex, SHOW MEASUREMENTS, ...) to one
 * replica of each shard involved, their answers merged ({@link MergedRead}).
 */
public final class ShardReads implements Processor {
    /** Exchange property set to "shards" when the read goes to several shards and is merged. */
    public static final String SCOPE = "relay.query.scope";
    /** Exchange property: the reads of the shards (a List of {@link ShardRead}). */
    public static final String READS = "relay.query.shard-reads";

    private final ShardLayout layout;

    public ShardReads(ShardLayout layout) {
        this.layout = layout;
    }

    /** One shard's part of a merged read: its backends, and its slot for the answer. */
    public record ShardRead(int shard, List<String> backends, MergedRead merged) {
    }

    @Override
    public void process(Exchange exchange) {
        QueryRequest request = exchange.getProperty(QueryRequest.PROPERTY, QueryRequest.class);
        String db = request.parameter("db");
        TreeSet<Integer> shards = new TreeSet<>();
        boolean all = false;
        for (Statement statement : request.statements().statements()) {
            ReadScope scope = ReadScope.of(statement, db);
            if (scope instanceof ReadScope.AllShards) {
                all = true;
            } else if (scope instanceof ReadScope.Measurements m) {
                for (ReadScope.Source source : m.sources()) {
                    if (layout.keyByTag() != null) {
                        all = true; // a measurement spreads over every shard by its tag
                    } else {
                        shards.add(layout.readShardOf(source.db() == null ? "" : source.db(), source.measurement()));
                    }
                }
            }
        }
        if (all) {
            shards.clear();
            for (int i : layout.wholeShards()) { // during a rebalance the old shards hold every key whole
                shards.add(i);
            }
        }
        if (shards.isEmpty()) {
            return; // names no measurement: any backend answers
        }
        if (shards.size() == 1) {
            exchange.setProperty(CaughtUpReplicas.ONLY, names(shards.first()));
            return;
        }
        MergedRead merged = new MergedRead(shards.size(), request.chunked());
        List<ShardRead> reads = new ArrayList<>();
        for (int shard : shards) {
            reads.add(new ShardRead(reads.size(), names(shard), merged));
        }
        exchange.setProperty(SCOPE, "shards");
        exchange.setProperty(READS, reads);
        exchange.setProperty(QueryRequest.PROPERTY, request.forMerging());
    }

    private List<String> names(int shard) {
        return layout.backends(shard).stream().map(BackendConfig::name).toList();
    }
}
