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

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a client's POST /api/v1/prom/read into a read for one caught-up backend (routes/prometheus.yaml): the
 * query string, body and credentials go on untouched, the answer comes back byte for byte. The body is read
 * once, so that one InfluxDB would refuse is refused here with its words; with shards, to find the shard
 * that holds the metrics the read names. A read whose queries name no metric by equality
 * ({@code __name__="..."}), or metrics of different shards, is refused with 400: the relay does not merge
 * remote-read answers across shards (nor under a {@code tag=<key>} shard key, which spreads a metric over them).
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
            exchange.setProperty(CaughtUpReplicas.ONLY, shardOf(new QueryString(rawQuery).get("db"), metrics));
        }
        exchange.setProperty(QueryRequest.PROPERTY, new QueryRequest("POST", rawQuery == null ? "" : rawQuery, body,
                "application/x-protobuf", in.getHeader("Authorization", String.class), null, null));
    }

    /** The backends of the one shard that holds every metric the read names. */
    private List<String> shardOf(String db, List<String> metrics) throws BadRemoteBody {
        if (db == null || db.isEmpty()) {
            throw new BadRemoteBody(400, "database is required");
        }
        if (layout.keyByTag() != null) {
            throw new BadRemoteBody(400, "under the shard key " + "tag=" + layout.keyByTag() + " a metric's series "
                    + "spread over the shards, and the relay reads one shard: remote read is not served");
        }
        Set<Integer> shards = new HashSet<>();
        for (String metric : metrics) {
            if (metric == null) {
                throw new BadRemoteBody(400, "a remote read without a metric name (__name__=\"...\") in every query "
                        + "spans the shards, and the relay reads one shard: name the metric in each query");
            }
            shards.add(layout.readShardOf(db, metric));
        }
        if (shards.size() > 1) {
            throw new BadRemoteBody(400, "the metrics of this remote read live on different shards, and the relay "
                    + "reads one shard: send one read per metric");
        }
        int shard = shards.isEmpty() ? 0 : shards.iterator().next();
        return layout.backends(shard).stream().map(BackendConfig::name).toList();
    }
}
