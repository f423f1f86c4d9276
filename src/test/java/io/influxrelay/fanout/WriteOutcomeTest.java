package io.influxrelay.fanout;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.metrics.RelayMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WriteOutcomeTest {
    private final RelayMetrics metrics = new RelayMetrics();
    private final RetryBuffers noBuffers = new RetryBuffers(List.of(), metrics.registry());
    private final BufferedWrite write = new BufferedWrite("db=x", null, new byte[0], 0);

    @Test
    void theAnswerIsPublishedByTheReplyThatDecidesItNotByTheLast() {
        WriteOutcome outcome = new WriteOutcome(Consistency.ONE, 3, noBuffers, write);
        outcome.record(BackendReply.transportFailure("a", "refused"), metrics);
        assertThat(outcome.answer()).isNotDone();
        outcome.record(BackendReply.http("b", 204, null, null), metrics);
        assertThat(outcome.answer()).isCompletedWithValue(Answer.ACCEPTED);
        // the slowest backend's reply changes nothing the client already has
        outcome.record(BackendReply.http("c", 500, "{}", "boom"), metrics);
        assertThat(outcome.answer()).isCompletedWithValue(Answer.ACCEPTED);
    }

    @Test
    void aDisagreementIsCounted() {
        WriteOutcome outcome = new WriteOutcome(Consistency.ALL, 2, noBuffers, write);
        outcome.record(BackendReply.http("a", 204, null, null), metrics);
        outcome.record(BackendReply.http("b", 404, "{\"error\":\"database not found\"}", "database not found"), metrics);
        assertThat(outcome.answer().join().status()).isEqualTo(404);
        assertThat(metrics.scrape()).contains("relay_backend_disagreements_total{backend=\"a\"} 1.0");
    }

    @Test
    void anAnswerAlreadyGivenByTheTimeoutIsKept() {
        WriteOutcome outcome = new WriteOutcome(Consistency.ONE, 2, noBuffers, write);
        outcome.answer().complete(Answer.error(503, "timeout waiting for backends"));
        outcome.record(BackendReply.http("a", 204, null, null), metrics);
        assertThat(outcome.answer().join().status()).isEqualTo(503);
    }
}
