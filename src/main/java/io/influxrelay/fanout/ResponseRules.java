package io.influxrelay.fanout;

import java.util.List;
import java.util.Optional;

/**
 * The high-availability response rules, all in one place. Given the replies in so far (in the order
 * they came), says whether the client's answer is decided and what it is.
 */
public final class ResponseRules {
    private ResponseRules() {
    }

    public static Optional<Answer> decide(Consistency consistency, int backends, List<BackendReply> replies) {
        int required = consistency.required(backends);
        int successes = 0;
        int failures = 0;
        BackendReply firstClientError = null;
        BackendReply lastServerError = null;
        for (BackendReply reply : replies) {
            // any: a write safely queued for a backend counts as accepted (InfluxDB Enterprise's "hinted handoff")
            if (reply.success() || (consistency == Consistency.ANY && reply.queued())) {
                successes++;
            } else {
                failures++;
                if (reply.clientError() && firstClientError == null) {
                    firstClientError = reply;
                } else if (reply.serverError() && reply.status() != 0) {
                    lastServerError = reply;
                }
            }
        }
        if (successes >= required) {
            return Optional.of(Answer.ACCEPTED);
        }
        // one/any: a 4xx means the write itself is wrong; the original relay answers it at once
        boolean firstClientErrorWins = consistency == Consistency.ONE || consistency == Consistency.ANY;
        if (firstClientError != null && firstClientErrorWins) {
            return Optional.of(Answer.from(firstClientError));
        }
        if (backends - failures >= required) {
            return Optional.empty(); // success is still possible: wait
        }
        if (firstClientError != null) {
            return Optional.of(Answer.from(firstClientError));
        }
        return Optional.of(lastServerError != null ? Answer.from(lastServerError) : Answer.UNAVAILABLE);
    }
}
