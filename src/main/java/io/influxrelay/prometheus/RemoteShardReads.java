package io.influxrelay.prometheus;

import io.influxrelay.http.InfluxResponses;
import io.influxrelay.query.CaughtUpReplicas;
import io.influxrelay.sharding.ShardAnswerBytes;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote read that spans shards (routes/prometheus.yaml): one caught-up replica of each shard that holds
 * its keys whole is asked the same ReadRequest, in parallel; each answer is read whole (bounded), and the
 * client gets them merged ({@link RemoteReadMerge}), or the first shard's error when one could not answer.
 */
public final class RemoteShardReads {
    /** Exchange property: the reads, one per shard (a List of {@link ShardRead}); absent: one backend answers. */
    public static final String READS = "relay.prom.shard-reads";
    private static final String READ = "relay.prom.shard-read";

    /** One shard's read: its slot in the merge and the backends it may go to. */
    public record ShardRead(int slot, List<String> backends, RemoteShardReads merge) {
    }

    private final int[] statuses;
    private final byte[][] bodies;

    private RemoteShardReads(int shards) {
        this.statuses = new int[shards];
        this.bodies = new byte[shards][];
    }

    static List<ShardRead> of(List<List<String>> shards) {
        RemoteShardReads merge = new RemoteShardReads(shards.size());
        List<ShardRead> reads = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            reads.add(new ShardRead(i, shards.get(i), merge));
        }
        return reads;
    }

    /** Before one shard's read (the split's exchange): to a caught-up replica of that shard only. */
    public static void step(Exchange exchange) {
        ShardRead read = exchange.getIn().getBody(ShardRead.class);
        exchange.setProperty(READ, read);
        exchange.setProperty(CaughtUpReplicas.ONLY, read.backends());
        exchange.getIn().setBody(null);
    }

    /** After one shard's read: its answer, read whole, into its slot. */
    public static void collect(Exchange exchange) throws IOException {
        ShardRead read = exchange.getProperty(READ, ShardRead.class);
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        byte[] bytes = ShardAnswerBytes.read(m);
        if (ShardAnswerBytes.tooLarge(bytes)) {
            status = 413;
            bytes = InfluxResponses.errorBody("the remote-read answer of one shard exceeds " + (ShardAnswerBytes.MAX >> 20)
                    + " MB: a read over several shards is merged in memory; narrow its time range or name its metric");
        }
        read.merge().put(read.slot(), status, bytes == null ? new byte[0] : bytes);
    }

    private synchronized void put(int slot, int status, byte[] body) {
        statuses[slot] = status;
        bodies[slot] = body;
    }

    /** After every shard's read: the client's answer. */
    public static void answer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<ShardRead> reads = exchange.getProperty(READS, List.class);
        reads.get(0).merge().respond(exchange);
    }

    private synchronized void respond(Exchange exchange) {
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] != 200 || bodies[i] == null) {
                InfluxResponses.text(exchange, statuses[i] == 0 ? 503 : statuses[i], "application/json",
                        bodies[i] == null ? "{\"error\":\"a shard did not answer\"}\n" : new String(bodies[i], StandardCharsets.UTF_8));
                return;
            }
        }
        try {
            byte[] merged = RemoteReadMerge.merge(List.of(bodies), ShardAnswerBytes.MAX * (long) bodies.length);
            InfluxResponses.bytes(exchange, 200, "application/x-protobuf", merged);
            exchange.getMessage().setHeader("Content-Encoding", "snappy");
        } catch (BadRemoteBody e) {
            InfluxResponses.error(exchange, e.status(), e.getMessage());
        }
    }
}
