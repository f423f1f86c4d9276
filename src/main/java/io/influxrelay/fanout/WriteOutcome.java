package io.influxrelay.fanout;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.metrics.ThrottledLog;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One write's replies as they come in from the backends, and the client's answer, published the
 * moment the rules decide it: the fan-out goes on to the last backend, the client does not wait.
 * Replicas converge: a backend that missed the write gets it later from its retry buffer as soon as
 * any backend accepted it, whatever the client was told (under all or quorum the client may hear 503
 * while a backend holds the write: its retry rewrites the same points at the same timestamps, which
 * InfluxDB stores once). A write no backend accepted is kept nowhere (under any: queued counts).
 */
public final class WriteOutcome {
    /** Exchange property under which the outcome travels with the write through every copy. */
    public static final String PROPERTY = "relay.outcome";

    private static final ThrottledLog DISAGREEMENTS =
            new ThrottledLog(LoggerFactory.getLogger(WriteOutcome.class), 10, TimeUnit.SECONDS);

    private final Consistency consistency;
    private final int backends;
    /** The backends' names, or null: then the answer never waits for a disk buffer (UDP has no client). */
    private final List<String> names;
    private final RetryBuffers buffers;
    private final BufferedWrite.Kind kind;
    /** Makes what a retry buffer keeps of the write: only once a backend misses it (a shard's part is copied then). */
    private final Supplier<BufferedWrite> toKeep;
    private BufferedWrite kept;
    private final List<BackendReply> replies;
    /** Backends that missed the write before any backend accepted it: buffered once one does. */
    private final List<String> owed = new ArrayList<>(2);
    private boolean accepted;
    /** Decided, but held until the backends behind a disk buffer have it queued there. */
    private Answer held;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    public WriteOutcome(Consistency consistency, int backends, RetryBuffers buffers, BufferedWrite write) {
        this(consistency, backends, null, buffers, write.kind(), () -> write);
    }

    /** A write to the backends of these names (all of them, or one shard's). */
    public WriteOutcome(Consistency consistency, List<String> names, RetryBuffers buffers, BufferedWrite write) {
        this(consistency, names.size(), names, buffers, write.kind(), () -> write);
    }

    /** A write to the backends of these names, made into what a retry buffer keeps only if one misses it. */
    public WriteOutcome(Consistency consistency, List<String> names, RetryBuffers buffers, BufferedWrite.Kind kind,
                        Supplier<BufferedWrite> toKeep) {
        this(consistency, names.size(), names, buffers, kind, toKeep);
    }

    private WriteOutcome(Consistency consistency, int backends, List<String> names, RetryBuffers buffers,
                         BufferedWrite.Kind kind, Supplier<BufferedWrite> toKeep) {
        this.consistency = consistency;
        this.backends = backends;
        this.names = names;
        this.buffers = buffers;
        this.kind = kind;
        this.toKeep = toKeep;
        this.replies = new ArrayList<>(backends);
    }

    public CompletableFuture<Answer> answer() {
        return answer;
    }

    /** What the write is (line protocol, a Prometheus remote write): the backend path it goes to. */
    public BufferedWrite.Kind kind() {
        return kind;
    }

    /** The replies in so far, in the order they came. */
    public synchronized List<BackendReply> replies() {
        return List.copyOf(replies);
    }

    /** Records one backend's reply; completes the answer if this reply decides it. */
    public void record(BackendReply reply, RelayMetrics metrics) {
        List<BackendReply> all = null;
        synchronized (this) {
            if (reply.serverError()) { // a backend without a buffer misses it for good: the offer tells the ledger
                reply = owe(reply);
            }
            if (reply.success() && !accepted) {
                accepted = true;
                owed.forEach(b -> buffers.offer(b, kept()));
                owed.clear();
            }
            replies.add(reply);
            if (!answer.isDone() && held == null) {
                Optional<Answer> rule = ResponseRules.decide(consistency, backends, replies);
                // the rules always decide once every backend replied; never leave a client waiting
                held = rule.orElse(replies.size() == backends ? Answer.UNAVAILABLE : null);
            }
            // completing inside the lock: a reply that comes later sees the answer the client got
            if (held != null && !awaitingDiskBuffer()) {
                answer.complete(held);
                held = null;
            }
            if (replies.size() == backends) {
                all = List.copyOf(replies);
            }
        }
        if (all != null) {
            countDisagreements(all, metrics);
        }
    }

    /**
     * A backend whose disk buffer owes it older writes gets this one queued there at once (no send):
     * the client hears only once it is, so a relay killed right after the answer still holds the write
     * for that backend. Backends sent the write directly are not waited for beyond the rules.
     */
    private boolean awaitingDiskBuffer() {
        if (names == null || replies.size() == backends) {
            return false;
        }
        for (String name : names) {
            if (buffers.owesOnDisk(name) && replies.stream().noneMatch(r -> r.backend().equals(name))) {
                return true;
            }
        }
        return false;
    }

    /** The write as retry buffers keep it, made once. */
    private synchronized BufferedWrite kept() {
        if (kept == null) {
            kept = toKeep.get();
        }
        return kept;
    }

    /** A backend missed the write: buffered now if a backend accepted it (or under any), else once one does. */
    private BackendReply owe(BackendReply reply) {
        if (accepted) {
            buffers.offer(reply.backend(), kept());
        } else if (consistency == Consistency.ANY) {
            if (buffers.offer(reply.backend(), kept())) {
                return reply.asQueued();
            }
        } else {
            owed.add(reply.backend());
        }
        return reply;
    }

    /** A 2xx beside a 4xx: the backends do not hold the same schema (a database missing on one). */
    private void countDisagreements(List<BackendReply> all, RelayMetrics metrics) {
        Answer told = answer.getNow(null);
        if (told == null) {
            return;
        }
        boolean toldClientError = told.status() / 100 == 4;
        for (BackendReply r : all) {
            if ((told.success() && r.clientError()) || (toldClientError && r.success())) {
                metrics.disagreement(r.backend());
                DISAGREEMENTS.warn("backend {} answered {} to a write whose client was answered {}",
                        r.backend(), r.describe(), told.status());
            }
        }
    }
}
