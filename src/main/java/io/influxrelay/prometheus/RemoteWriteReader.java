package io.influxrelay.prometheus;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.Consistency;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.http.InfluxResponses;
import io.influxrelay.http.RequestHeaders;
import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.sharding.ShardRouter;
import io.influxrelay.sharding.ShardWrite;
import io.influxrelay.write.AwaitAnswer;
import io.influxrelay.write.QueryString;
import io.influxrelay.write.WriteParameters;
import io.influxrelay.write.WriteRequest;
import io.influxrelay.write.WriteRequestReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a client's POST /api/v1/prom/write into a write for the fan-out, as {@link WriteRequestReader} does for
 * /write: the same parameters, read the same way ({@link WriteParameters}: db required; rp, consistency, u, p
 * forwarded untouched in the query string),
 * the body kept byte for byte as the payload. It is read once (uncompressed, its series walked) so that a
 * body InfluxDB would refuse is refused here with InfluxDB's words before any backend or buffer holds it,
 * its samples are counted, and, with shards, its series are split among them. A request the relay
 * refuses is answered here and goes no further.
 */
public final class RemoteWriteReader implements Processor {
    private final RelayConfig config;
    private final RetryBuffers buffers;
    private final RelayMetrics metrics;
    private final ShardRouter shards;
    private final List<String> backendNames;

    /** {@code shards}: splits each write among the shards; null when there is one shard. */
    public RemoteWriteReader(RelayConfig config, RetryBuffers buffers, RelayMetrics metrics, ShardRouter shards) {
        this.config = config;
        this.buffers = buffers;
        this.metrics = metrics;
        this.shards = shards;
        this.backendNames = config.backends().stream().map(BackendConfig::name).toList();
    }

    @Override
    public void process(Exchange exchange) {
        try {
            read(exchange);
        } catch (BadRemoteBody e) {
            InfluxResponses.error(exchange, e.status(), e.getMessage());
            metrics.writeAnswered(e.status(), System.nanoTime() - exchange.getProperty(WriteRequestReader.ARRIVED, Long.class));
            exchange.setRouteStop(true);
        }
    }

    private void read(Exchange exchange) throws BadRemoteBody {
        exchange.setProperty(WriteRequestReader.ARRIVED, System.nanoTime());
        Message in = exchange.getIn();
        QueryString query = new QueryString(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        String db = query.get("db");
        if (db == null || db.isEmpty()) {
            throw new BadRemoteBody(400, "database is required"); // influxd's own words
        }
        Consistency consistency = WriteParameters.consistency(config, query.get("consistency"))
                .orElseThrow(() -> new BadRemoteBody(400, "invalid consistency level"));
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && contentType.contains("io.prometheus.write.v2.Request")) {
            // remote write 2.0 asks a receiver that does not speak it for 415, and falls back to 1.0
            throw new BadRemoteBody(415, "remote write 2.0 is not supported: send remote write 1.0 (prometheus.WriteRequest)");
        }
        byte[] body = in.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        if (body.length > config.maxBodyBytes()) {
            throw new BadRemoteBody(413, "request entity too large");
        }
        RemoteWriteRequest request = RemoteWriteRequest.parse(SnappyBlock.uncompress(body, config.maxBodyBytes()),
                shards == null ? null : shards.layout().keyByTag());
        int samples = request.samples();
        metrics.writeReceived(samples, body.length);

        String forwarded = WriteParameters.forwardedQuery(config, query);
        String authorization = in.getHeader("Authorization", String.class);
        exchange.setProperty(WriteRequest.PROPERTY, new WriteRequest(db, forwarded, authorization, consistency, samples, 0, ""));
        RequestHeaders.dropAllButConnection(in); // the fan-out copies the message once per backend
        in.setBody(body);
        if (shards != null && shards.layout().sharded()) {
            List<ShardWrite> parts = new ArrayList<>();
            for (RemoteWriteSplit.Part p : RemoteWriteSplit.of(shards.layout(), db, body, request)) {
                parts.add(shards.part(p.shard(), p.body(), p.samples(), consistency, forwarded, authorization,
                        BufferedWrite.Kind.PROMETHEUS));
            }
            exchange.setProperty(AwaitAnswer.ANSWER, ShardRouter.route(exchange, parts));
            return;
        }
        exchange.setProperty(WriteOutcome.PROPERTY, new WriteOutcome(consistency, backendNames, buffers,
                new BufferedWrite(forwarded, authorization, body, System.nanoTime(), BufferedWrite.Kind.PROMETHEUS)));
    }
}
