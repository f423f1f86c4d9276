package io.influxrelay.backend;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * How many writes one backend has in flight, without a thread each: at most {@code maxInFlight} are
 * sent at once (one pooled connection each); the next {@code maxQueued} wait here, in order, and go on
 * as earlier ones end, on the thread that ended one. So a backend slower than the others (not down)
 * falls behind by up to that many writes without sending them to its retry buffer, whose replay, one
 * batch at a time, could not catch up with full load (bench/RESULTS.md, round 2). Beyond that a write
 * fails at once as "overloaded" (a RejectedExecutionException), and the retry buffer keeps it.
 *
 * <p>A step of the backend's send route: an exchange that passes holds a slot until {@link #leave}.
 */
public final class BackendGate extends AsyncProcessorSupport {
    /** Set while the exchange holds a slot, so that leaving twice (answer, then failure) frees one slot. */
    private static final String HOLDS_SLOT = "relay.gate.slot";

    private final String backend;
    private final int maxInFlight;
    private final int maxQueued;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    public BackendGate(String backend, int maxInFlight, int maxQueued) {
        this.backend = backend;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        synchronized (this) {
            if (inFlight < maxInFlight) {
                inFlight++;
            } else if (waiting.size() < maxQueued) {
                waiting.add(() -> {
                    exchange.setProperty(HOLDS_SLOT, Boolean.TRUE);
                    callback.done(false);
                });
                return false;
            } else {
                exchange.setException(new RejectedExecutionException(
                        maxInFlight + " writes in flight to backend " + backend + " and " + maxQueued + " waiting"));
                callback.done(true);
                return true;
            }
        }
        exchange.setProperty(HOLDS_SLOT, Boolean.TRUE);
        callback.done(true);
        return true;
    }

    /** The exchange's write to the backend has ended: its slot goes to the next waiting write, if any. */
    public void leave(Exchange exchange) {
        if (exchange.removeProperty(HOLDS_SLOT) == null) {
            return;
        }
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run(); // the slot passes on as it is: inFlight stays
        }
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return waiting.size();
    }
}
