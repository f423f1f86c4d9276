package io.influxrelay.sharding;

import io.influxrelay.fanout.Answer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's answer to a write split among shards: a success only when every shard's rules
 * succeeded; otherwise the most telling failure, a 4xx (the client must change the write) before a
 * 5xx (it may retry), with the partial-write messages of several shards merged into one. The shards
 * that succeeded keep their points: a client that retries the whole write rewrites them at the same
 * timestamps, which InfluxDB stores once.
 */
public final class ShardedAnswer {
    private static final Pattern PARTIAL = Pattern.compile("^partial write: (.*?)(?: dropped=(\\d+))?$", Pattern.DOTALL);

    private ShardedAnswer() {
    }

    public static CompletableFuture<Answer> of(List<CompletableFuture<Answer>> shards) {
        return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
                .thenApply(v -> combine(shards.stream().map(CompletableFuture::join).toList()));
    }

    static Answer combine(List<Answer> answers) {
        List<Answer> clientErrors = new ArrayList<>();
        Answer serverError = null;
        for (Answer a : answers) {
            if (a.status() / 100 == 4) {
                clientErrors.add(a);
            } else if (!a.success() && serverError == null) {
                serverError = a;
            }
        }
        if (!clientErrors.isEmpty()) {
            return clientErrors.size() == 1 ? clientErrors.get(0) : mergePartialWrites(clientErrors);
        }
        if (serverError != null) {
            return serverError;
        }
        return answers.get(0);
    }

    /** Several shards refused some points: one partial-write message with every reason and the dropped total. */
    private static Answer mergePartialWrites(List<Answer> errors) {
        List<String> reasons = new ArrayList<>();
        long dropped = 0;
        for (Answer a : errors) {
            Matcher m = a.influxError() == null ? null : PARTIAL.matcher(a.influxError());
            if (m == null || !m.matches()) {
                return errors.get(0); // not all partial writes: the first refusal says it best
            }
            reasons.add(m.group(1));
            dropped += m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        }
        return Answer.error(errors.get(0).status(), "partial write: " + String.join("; ", reasons) + " dropped=" + dropped);
    }
}
