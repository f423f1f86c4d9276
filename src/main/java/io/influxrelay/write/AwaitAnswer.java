package io.influxrelay.write;

import java.util.concurrent.CompletableFuture;

import io.influxrelay.fanout.Answer;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.http.InfluxResponses;
import io.influxrelay.metrics.RelayMetrics;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Answers the client the moment the response rules decide, without holding a thread while the
 * backends work; a bound on the wait catches anything that would otherwise hang a client.
 */
public final class AwaitAnswer extends AsyncProcessorSupport {
    /** Exchange property: the client's answer when it is not one WriteOutcome's (a write split among shards). */
    public static final String ANSWER = "relay.answer";
    private static final Answer TIMED_OUT = Answer.error(503, "timeout waiting for backends");

    private final long maxWaitMillis;
    private final RelayMetrics metrics;

    public AwaitAnswer(Duration longestBackendTimeout, RelayMetrics metrics) {
        // a backend still silent past its timeout counts as failed; a second on top covers the hand-offs
        this.maxWaitMillis = longestBackendTimeout.toMillis() + 1000;
        this.metrics = metrics;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Answer> answer = exchange.getProperty(ANSWER, CompletableFuture.class);
        if (answer == null) {
            answer = exchange.getProperty(WriteOutcome.PROPERTY, WriteOutcome.class).answer();
        }
        if (answer.isDone()) {
            respond(exchange, answer.join());
            callback.done(true);
            return true;
        }
        answer.completeOnTimeout(TIMED_OUT, maxWaitMillis, TimeUnit.MILLISECONDS).thenAccept(decided -> {
            respond(exchange, decided);
            callback.done(false);
        });
        return false;
    }

    private void respond(Exchange exchange, Answer answer) {
        WriteRequest write = exchange.getProperty(WriteRequest.PROPERTY, WriteRequest.class);
        long took = System.nanoTime() - exchange.getProperty(WriteRequestReader.ARRIVED, Long.class);
        if (answer.success() && write.invalidLines() > 0) {
            InfluxResponses.error(exchange, 400, write.partialWriteError());
            metrics.writeAnswered(400, took);
            return;
        }
        InfluxResponses.answer(exchange, answer);
        metrics.writeAnswered(answer.status(), took);
    }
}
