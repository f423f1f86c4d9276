package io.influxrelay.buffer;

import io.influxrelay.health.BackendHealth;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

import java.time.Duration;

/**
 * The replay's back-off between attempts: 500 ms, doubling up to max-delay-interval, and over as soon
 * as the backend answers /ping again after being down, so a backend back from an outage gets its
 * buffer within one health interval, not when the back-off in progress ends.
 * <p>
 * Camel's error handler cannot be woken during its own wait (it sleeps in one-second steps), but it
 * hands delays under a second to the policy's {@link #sleep(long)}. So Camel is given a constant
 * 500 ms, and the doubling is kept here, one replay consumer per backend, reset by each batch replayed.
 * A relay that stops ends the wait, and {@link ReplayRetry} gives up on the batch ({@link #stopping()}),
 * which the relay's stop then saves, as Camel's own wait does (no redelivery while stopping).
 */
final class ReplayBackoff extends RedeliveryPolicy {
    private static final long FIRST = 500;
    private static final long SLICE = 1000;

    private final transient BackendHealth health;
    private final transient CamelContext context;
    private final long maxMillis;
    private long nextMillis = FIRST;

    ReplayBackoff(BackendHealth health, CamelContext context, Duration maxDelay) {
        this.health = health;
        this.context = context;
        this.maxMillis = Math.max(FIRST, maxDelay.toMillis());
        setRedeliveryDelay(FIRST);
        setUseExponentialBackOff(false);
        setAllowRedeliveryWhileStopping(false);
    }

    /** True once the relay stops: no more redelivery. */
    boolean stopping() {
        return context.isStopping() || !context.isStarted();
    }

    /** A batch went through: the next outage starts from 500 ms again. */
    synchronized void reset() {
        nextMillis = FIRST;
    }

    @Override
    public void sleep(long ignoredCamelDelay) throws InterruptedException {
        long wait;
        synchronized (this) {
            wait = nextMillis;
            nextMillis = Math.min(maxMillis, nextMillis * 2);
        }
        long deadline = System.nanoTime() + wait * 1_000_000L;
        for (long left = wait; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
            if (stopping()) {
                return;
            }
            if (health.awaitReturn(Math.min(SLICE, left))) {
                reset();
                return; // back from an outage: replay now
            }
        }
    }
}
