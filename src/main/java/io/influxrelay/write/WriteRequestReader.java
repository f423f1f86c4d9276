package io.influxrelay.write;

import io.influxrelay.http.RequestHeaders;
import io.influxrelay.sharding.ShardRouter;
import io.influxrelay.sharding.ShardSplitter;
import io.influxrelay.sharding.ShardWrite;
import java.util.List;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.Consistency;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.http.InfluxResponses;
import io.influxrelay.lineprotocol.LineScanner;
import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.lineprotocol.Precision;
import io.influxrelay.lineprotocol.ScanResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.time.Clock;
import java.util.Arrays;

/**
 * Turns a client's POST /write into a {@link WriteRequest}: checks the parameters, un-gzips, scans
 * every line once (stamping points that have no time), and leaves the checked lines as the body.
 * A write the relay must refuse is answered here and goes no further.
 */
public final class WriteRequestReader implements Processor {
    /** Exchange property: System.nanoTime() when the write arrived, for the client latency meter. */
    public static final String ARRIVED = "relay.arrived";

    private final RelayConfig config;
    private final RetryBuffers buffers;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final ShardRouter shards;
    private final List<String> backendNames;

    public WriteRequestReader(RelayConfig config, RetryBuffers buffers, RelayMetrics metrics, Clock clock) {
        this(config, buffers, metrics, clock, null);
    }

    /** {@code shards}: splits each write among the shards; null when there is one shard. */
    public WriteRequestReader(RelayConfig config, RetryBuffers buffers, RelayMetrics metrics, Clock clock, ShardRouter shards) {
        this.shards = shards;
        this.config = config;
        this.backendNames = config.backends().stream().map(io.influxrelay.config.BackendConfig::name).toList();
        this.buffers = buffers;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        try {
            read(exchange);
        } catch (ClientError e) {
            InfluxResponses.error(exchange, e.status, e.getMessage());
            exchange.setRouteStop(true);
        }
    }

    private void read(Exchange exchange) throws ClientError {
        exchange.setProperty(ARRIVED, System.nanoTime());
        Message in = exchange.getIn();
        QueryString query = new QueryString(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        String db = query.get("db");
        if (db == null || db.isEmpty()) {
            throw new ClientError(400, "missing parameter: db");
        }
        Consistency consistency = WriteParameters.consistency(config, query.get("consistency"))
                .orElseThrow(() -> new ClientError(400, "invalid consistency level"));
        // InfluxDB takes an unknown precision as nanoseconds; so does the relay, and the backends agree
        Precision precision = Precision.parse(query.get("precision")).orElse(Precision.NANOSECONDS);

        byte[] raw = in.getBody(byte[].class);
        byte[] body = BodyDecoder.decode(raw == null ? new byte[0] : raw,
                in.getHeader("Content-Encoding", String.class), config.maxBodyBytes());
        ShardSplitter split = shards == null ? null : shards.splitter(db);
        ScanResult scan = split == null ? LineScanner.scan(body, 0, body.length, precision.now(clock), precision)
                : LineScanner.scan(body, 0, body.length, precision.now(clock), precision, split);
        metrics.writeReceived(scan.validLines(), body.length);
        if (!scan.hasValidLines() && scan.invalidLines() > 0) {
            throw new ClientError(400, scan.errors());
        }

        String forwarded = WriteParameters.forwardedQuery(config, query);
        String authorization = in.getHeader("Authorization", String.class);
        WriteRequest write = new WriteRequest(db, forwarded, authorization,
                consistency, scan.validLines(), scan.invalidLines(), scan.errors());
        // with shards the splitter makes each part's body, and the scan none: the write's own body stays empty
        byte[] lines = exactBytes(scan);
        // read all it needs: the fan-out copies the message once per backend, the fewer headers the cheaper
        RequestHeaders.dropAllButConnection(in);
        in.setBody(lines);
        exchange.setProperty(WriteRequest.PROPERTY, write);
        if (split != null) {
            List<ShardWrite> parts = shards.parts(split, consistency, forwarded, authorization);
            exchange.setProperty(AwaitAnswer.ANSWER, ShardRouter.route(exchange, parts));
            return;
        }
        exchange.setProperty(WriteOutcome.PROPERTY, new WriteOutcome(consistency, backendNames, buffers,
                new BufferedWrite(forwarded, authorization, lines, System.nanoTime())));
    }

    /** The HTTP producer sends a whole array; copy only when the scanner returned a slice. */
    private static byte[] exactBytes(ScanResult scan) {
        byte[] b = scan.body();
        if (scan.bodyOffset() == 0 && scan.bodyLength() == b.length) {
            return b;
        }
        return Arrays.copyOfRange(b, scan.bodyOffset(), scan.bodyOffset() + scan.bodyLength());
    }
}
