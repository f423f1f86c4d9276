package io.influxrelay.sharding;

import io.influxrelay.http.InfluxResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The answers of the shards a read went to, each read whole as it arrives (bounded by
 * {@value #MAX_ANSWER_BYTES} bytes per shard), then merged into the one answer InfluxDB would give. A
 * shard that could not answer, or answered with an error status, makes the client's answer.
 */
public final class MergedRead {
    static final int MAX_ANSWER_BYTES = 256 << 20;

    private final byte[][] bodies;
    private final int[] statuses;

    MergedRead(int shards) {
        this.bodies = new byte[shards][];
        this.statuses = new int[shards];
    }

    /** After one shard's read (routes/query.yaml): its answer, read whole into its slot. */
    public static void collect(Exchange exchange) throws IOException {
        ShardReads.ShardRead read = exchange.getProperty("relay.query.shard-read", ShardReads.ShardRead.class);
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        Object body = m.getBody();
        byte[] bytes;
        if (body instanceof InputStream in) {
            try (in) {
                bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } else {
            bytes = m.getBody(byte[].class);
        }
        if (bytes != null && bytes.length > MAX_ANSWER_BYTES) {
            status = 413;
            bytes = ("{\"error\":\"the answer of one shard exceeds " + (MAX_ANSWER_BYTES >> 20)
                    + " MB: a read over several shards is merged in memory; narrow it (time range, LIMIT)\"}\n").getBytes(StandardCharsets.UTF_8);
        }
        read.merged().put(read.shard(), status, bytes == null ? new byte[0] : bytes);
    }

    synchronized void put(int shard, int status, byte[] body) {
        statuses[shard] = status;
        bodies[shard] = body;
    }

    /** After every shard's read: the client's answer. */
    public static void answer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<ShardReads.ShardRead> reads = exchange.getProperty(ShardReads.READS, List.class);
        reads.get(0).merged().respond(exchange);
    }

    private synchronized void respond(Exchange exchange) {
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] != 200 || bodies[i] == null) {
                InfluxResponses.text(exchange, statuses[i] == 0 ? 503 : statuses[i], "application/json",
                        bodies[i] == null ? "{\"error\":\"a shard did not answer\"}\n" : new String(bodies[i], StandardCharsets.UTF_8));
                return;
            }
        }
        io.influxrelay.query.QueryRequest request = exchange.getProperty(io.influxrelay.query.QueryRequest.PROPERTY,
                io.influxrelay.query.QueryRequest.class);
        InfluxResponses.text(exchange, 200, "application/json", new String(ShardAnswers.merge(Arrays.asList(bodies),
                request.statements().statements()), StandardCharsets.UTF_8));
    }
}
