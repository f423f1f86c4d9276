package io.influxrelay.udp;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.fanout.Consistency;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.metrics.ThrottledLog;
import io.influxrelay.write.WriteRequest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the lines of many datagrams into one write for the HTTP backends: sent when it reaches
 * relay.udp.batch-kb, or at the latest every relay.udp.flush-interval. It goes through the same
 * fan-out and retry buffers as a client's write, with consistency any: nobody waits for the answer,
 * so the write counts as taken once a backend accepted it or a buffer holds it.
 */
final class UdpBatcher {
    private static final ThrottledLog LOST = new ThrottledLog(LoggerFactory.getLogger(UdpBatcher.class), 10, TimeUnit.SECONDS);

    private final String query;
    private final int maxBytes;
    private final int backends;
    private final RetryBuffers buffers;
    private final UdpMetrics metrics;
    private ProducerTemplate producer;
    private ByteArrayOutputStream batch;
    private int lines;

    UdpBatcher(String query, int maxBytes, int backends, RetryBuffers buffers, UdpMetrics metrics) {
        this.query = query;
        this.maxBytes = maxBytes;
        this.backends = backends;
        this.buffers = buffers;
        this.metrics = metrics;
        this.batch = new ByteArrayOutputStream(maxBytes);
    }

    void connect(ProducerTemplate producer) {
        this.producer = producer;
    }

    void append(byte[] body, int offset, int length, int lineCount) {
        byte[] full = null;
        int fullLines = 0;
        synchronized (this) {
            if (batch.size() > 0 && batch.size() + length > maxBytes) {
                full = batch.toByteArray();
                fullLines = lines;
                batch.reset();
                lines = 0;
            }
            batch.write(body, offset, length);
            lines += lineCount;
        }
        if (full != null) {
            send(full, fullLines);
        }
    }

    void flush() {
        byte[] pending;
        int pendingLines;
        synchronized (this) {
            if (batch.size() == 0) {
                return;
            }
            pending = batch.toByteArray();
            pendingLines = lines;
            batch.reset();
            lines = 0;
        }
        send(pending, pendingLines);
    }

    private void send(byte[] payload, int lineCount) {
        WriteRequest write = new WriteRequest(null, query, null, Consistency.ANY, lineCount, 0, null);
        WriteOutcome outcome = new WriteOutcome(Consistency.ANY, backends, buffers,
                new BufferedWrite(query, null, payload, System.nanoTime()));
        outcome.answer().thenAccept(answer -> {
            if (!answer.success()) {
                metrics.lost(lineCount);
                LOST.warn("a UDP batch of {} lines was taken by no backend and no buffer ({}): lost", lineCount, answer.status());
            }
        });
        Exchange sent = producer.send(UdpRoutes.BATCHES, e -> {
            e.getIn().setBody(payload);
            e.setProperty(WriteRequest.PROPERTY, write);
            e.setProperty(WriteOutcome.PROPERTY, outcome);
        });
        if (sent.getException() != null) {
            metrics.lost(lineCount);
            LOST.warn("too many UDP batches waiting for the backends: a batch of {} lines was dropped", lineCount);
        }
    }
}
