package io.influxrelay.buffer;

import io.influxrelay.backend.BackendPing;
import io.influxrelay.health.BackendHealth;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Decides, after a failed replay, whether Camel's redelivery tries the batch again. A backend that is
 * down is waited for, however long. A write the backend refuses is not retried: a 4xx, or a 500 that
 * InfluxDB gives for a write that can never succeed (influxdb-relay#71: "retention policy not found").
 * Any other 5xx from a backend that still answers /ping counts an attempt: a batch is split at once to
 * find the write to blame, a single write is given up after max-attempts, so a poison write never
 * blocks the queue for long.
 */
final class ReplayRetry implements Predicate {
    private static final String[] PERMANENT = {"retention policy not found", "database not found"};

    private final BackendPing ping;
    private final BackendHealth health;
    private final int maxAttempts;
    private final ReplayBackoff backoff;

    ReplayRetry(BackendPing ping, BackendHealth health, int maxAttempts, ReplayBackoff backoff) {
        this.ping = ping;
        this.health = health;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Exception e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (backoff.stopping()) {
            return false; // the relay stops: the batch stays for the stop to save
        }
        if (!(e instanceof HttpOperationFailedException refused)) {
            String tls = io.influxrelay.backend.BackendTls.explain(health.name(), e); // says which key to set
            health.unreachable(tls != null ? tls : String.valueOf(e));
            return true; // no answer at all: the backend is down, wait for it
        }
        int status = refused.getStatusCode();
        health.failed(status + " " + refused.getResponseBody());
        if (status < 500 || permanent(refused.getResponseBody())) {
            return false;
        }
        if (status == 503 || !ping.up()) {
            return true; // throttled or in trouble: not the write's fault
        }
        ReplayBatch batch = exchange.getProperty(BufferRoutes.BATCH, ReplayBatch.class);
        if (batch.writes().size() > 1) {
            return false; // take the batch apart to find the write to blame
        }
        return batch.countAttempt() < maxAttempts;
    }

    static boolean permanent(String body) {
        if (body == null) {
            return false;
        }
        for (String p : PERMANENT) {
            if (body.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
