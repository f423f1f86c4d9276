package io.influxrelay.prometheus;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.http.InfluxResponses;
import io.influxrelay.query.CaughtUpReplicas;
import io.influxrelay.query.QueryKind;
import io.influxrelay.query.QueryRequest;
import io.influxrelay.sharding.ShardLayout;
import io.influxrelay.write.QueryString;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a client's POST /api/v1/prom/read into a read for one caught-up backend (routes/prometheus.yaml): the
 * query string, body and credentials go on untouched, the answer comes back byte for byte. The body is read
 * once, so that one InfluxDB would refuse is refused here with its words; with shards, to find the shard
 * that holds the metrics the read names ({@code __name__="..."} in every query, all on one shard). Any other
 * read (a regex on the name, labels only, metrics of several shards, a {@code tag=<key>} shard key that
 * spreads a metric over the shards) asks every shard and merges their answers.
 */
public final class RemoteReadReader implements Processor {
    private final ShardLayout layout;
    private final int maxBodyBytes;

    /** {@code layout}: the shards, or null when there is one. */
    public RemoteReadReader(ShardLayout layout, int maxBodyBytes) {
        this.layout = layout != null && layout.sharded() ? layout : null;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(QueryRequest.ARRIVED, System.nanoTime());
        exchange.setProperty(QueryRequest.KIND, QueryKind.READ.name());
        try {
            read(exchange);
        } catch (BadRemoteBody e) {
            InfluxResponses.error(exchange, e.status(), e.getMessage());
            exchange.setRouteStop(true);
        }
    }

    private void read(Exchange exchange) throws BadRemoteBody {
        Message in = exchange.getIn();
        String rawQuery = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        byte[] body = in.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        List<String> metrics = RemoteReadRequest.metricNames(SnappyBlock.uncompress(body, maxBodyBytes));
        if (layout != null) {
            route(exchange, new QueryString(rawQuery).get("db"), metrics);
        }
        exchange.setProperty(QueryRequest.PROPERTY, new QueryRequest("POST", rawQuery == null ? "" : rawQuery, body,
                "application/x-protobuf", in.getHeader("Authorization", String.class), null, null));
    }

    /**
     * Where the read goes: the one shard that holds every metric it names (the read's backends are that shard's),
     * else every shard that holds its keys whole, asked in parallel and merged ({@link RemoteShardReads}).
     */
    private void route(Exchange exchange, String db, List<String> metrics) throws BadRemoteBody {
        if (db == null || db.isEmpty()) {
            throw new BadRemoteBody(400, "database is required");
        }
        Set<Integer> shards = new HashSet<>();
        // under a tag=<key> shard key a metric's series spread over the shards: every read spans them
        boolean spans = layout.keyByTag() != null || metrics.isEmpty();
        for (String metric : metrics) {
            if (metric == null) {
                spans = true; // no metric named by equality (a regex, or labels only): any shard may hold a series
            } else {
                shards.add(layout.readShardOf(db, metric));
            }
        }
        if (!spans && shards.size() == 1) {
            exchange.setProperty(CaughtUpReplicas.ONLY, backendsOf(shards.iterator().next()));
            return;
        }
        List<List<String>> whole = new ArrayList<>();
        for (int shard : layout.wholeShards()) {
            whole.add(backendsOf(shard));
        }
        exchange.setProperty(RemoteShardReads.READS, RemoteShardReads.of(whole));
    }

    private List<String> backendsOf(int shard) {
        return layout.backends(shard).stream().map(BackendConfig::name).toList();
    }
}
