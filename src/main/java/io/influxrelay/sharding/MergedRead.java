package io.influxrelay.sharding;

import io.influxrelay.http.InfluxResponses;
import io.influxrelay.query.QueryRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The answers of the shards a read went to, merged into the one answer InfluxDB would give. Whole: each read whole
 * as it arrives (bounded by {@value ShardAnswerBytes#MAX} bytes per shard), then merged ({@link ShardAnswers}). Chunked
 * (the client asked chunked=true, and so was each shard): each shard's first chunk read as it arrives, the rest
 * merged as the client takes it ({@link ChunkedMerge}), so a shard that broke off before its first chunk still makes
 * a clean error. A shard that could not answer, or answered with an error status, makes the client's answer.
 */
public final class MergedRead {
    private final boolean chunked;
    private final int[] statuses;
    private final byte[][] bodies;
    private final ShardChunks[] streams;

    MergedRead(int shards, boolean chunked) {
        this.chunked = chunked;
        this.statuses = new int[shards];
        this.bodies = new byte[shards][];
        this.streams = new ShardChunks[shards];
    }

    /** After one shard's read (routes/query.yaml): its answer into its slot, read whole, or up to its first chunk. */
    public static void collect(Exchange exchange) throws IOException {
        ShardReads.ShardRead read = exchange.getProperty("relay.query.shard-read", ShardReads.ShardRead.class);
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        Object body = m.getBody();
        if (read.merged().chunked && status == 200 && body instanceof InputStream in) {
            m.setBody(null); // the merge's now: it reads the first chunk here, the rest as the client takes it
            read.merged().collectChunked(read.shard(), in);
            return;
        }
        byte[] bytes = ShardAnswerBytes.read(m);
        if (ShardAnswerBytes.tooLarge(bytes)) {
            status = 413;
            bytes = error("the answer of one shard exceeds " + (ShardAnswerBytes.MAX >> 20)
                    + " MB: a read over several shards is merged in memory; narrow it (time range, LIMIT), or ask chunked=true");
        }
        read.merged().put(read.shard(), status, bytes == null ? new byte[0] : bytes, null);
    }

    private void collectChunked(int shard, InputStream body) {
        ShardChunks chunks = new ShardChunks(body);
        try {
            chunks.head();
            put(shard, 200, null, chunks);
        } catch (ShardChunks.TooLarge e) {
            closeQuietly(chunks);
            put(shard, 413, error(e.getMessage()), null);
        } catch (IOException e) {
            closeQuietly(chunks);
            put(shard, 503, error("a shard broke off its answer: " + e.getMessage()), null);
        }
    }

    private synchronized void put(int shard, int status, byte[] body, ShardChunks stream) {
        statuses[shard] = status;
        bodies[shard] = body;
        streams[shard] = stream;
    }

    /** After every shard's read: the client's answer. */
    public static void answer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<ShardReads.ShardRead> reads = exchange.getProperty(ShardReads.READS, List.class);
        reads.get(0).merged().respond(exchange);
    }

    private synchronized void respond(Exchange exchange) {
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] != 200 || bodies[i] == null && streams[i] == null) {
                Arrays.stream(streams).filter(s -> s != null).forEach(MergedRead::closeQuietly);
                InfluxResponses.text(exchange, statuses[i] == 0 ? 503 : statuses[i], "application/json",
                        bodies[i] == null ? "{\"error\":\"a shard did not answer\"}\n" : new String(bodies[i], StandardCharsets.UTF_8));
                return;
            }
        }
        QueryRequest request = exchange.getProperty(QueryRequest.PROPERTY, QueryRequest.class);
        if (chunked) {
            InfluxResponses.streamed(exchange, 200, "application/json",
                    new MergedChunks(new ChunkedMerge(List.of(streams), request.statements().statements())));
            return;
        }
        InfluxResponses.text(exchange, 200, "application/json", new String(ShardAnswers.merge(Arrays.asList(bodies),
                request.statements().statements()), StandardCharsets.UTF_8));
    }

    private static byte[] error(String message) {
        return InfluxResponses.errorBody(message);
    }

    private static void closeQuietly(ShardChunks chunks) {
        try {
            chunks.close();
        } catch (IOException ignored) {
            // the shard's connection is dropped either way
        }
    }
}
