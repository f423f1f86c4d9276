package io.influxrelay.fanout;

import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.metrics.ThrottledLog;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One write's replies as they come in from the backends, and the client's answer, published the
 * moment the rules decide it: the fan-out goes on to the last backend, the client does not wait.
 */
public final class WriteOutcome {
    /** Exchange property under which the outcome travels with the write through every copy. */
    public static final String PROPERTY = "relay.outcome";

    private static final ThrottledLog DISAGREEMENTS =
            new ThrottledLog(LoggerFactory.getLogger(WriteOutcome.class), 10, TimeUnit.SECONDS);

    private final Consistency consistency;
    private final int backends;
    private final List<BackendReply> replies;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    public WriteOutcome(Consistency consistency, int backends) {
        this.consistency = consistency;
        this.backends = backends;
        this.replies = new ArrayList<>(backends);
    }

    public CompletableFuture<Answer> answer() {
        return answer;
    }

    /** Records one backend's reply; completes the answer if this reply decides it. */
    public void record(BackendReply reply, RelayMetrics metrics) {
        Answer decided = null;
        List<BackendReply> all = null;
        synchronized (this) {
            replies.add(reply);
            if (!answer.isDone()) {
                Optional<Answer> rule = ResponseRules.decide(consistency, backends, replies);
                // the rules always decide once every backend replied; never leave a client waiting
                decided = rule.orElse(replies.size() == backends ? Answer.UNAVAILABLE : null);
            }
            if (replies.size() == backends) {
                all = List.copyOf(replies);
            }
        }
        if (decided != null) {
            answer.complete(decided); // outside the lock: completion runs the client's response
        }
        if (all != null) {
            countDisagreements(all, metrics);
        }
    }

    private void countDisagreements(List<BackendReply> all, RelayMetrics metrics) {
        Answer told = answer.getNow(null);
        if (told == null) {
            return;
        }
        for (BackendReply r : all) {
            boolean sameKind = told.success() ? r.success() : (told.status() / 100 == r.status() / 100);
            if (!sameKind) {
                metrics.disagreement(r.backend());
                DISAGREEMENTS.warn("backend {} answered {} to a write whose client was answered {}",
                        r.backend(), r.describe(), told.status());
            }
        }
    }
}
