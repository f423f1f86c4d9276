package io.influxrelay.query;

import io.influxrelay.health.BackendHealth;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.io.IOException;
import java.io.InputStream;

/**
 * A read on one backend: the answer's head is awaited without holding a thread, and its body is
 * handed to the listener as a stream, so a result is never held whole and a slow client slows the
 * backend read. A 5xx or no answer fails the exchange before a byte went to the client, and the load
 * balancer asks the next backend.
 */
final class ReadReplica extends AsyncProcessorSupport {
    private final BackendQuery backend;
    private final BackendHealth health;
    private final QueryMetrics metrics;

    ReadReplica(BackendQuery backend, BackendHealth health, QueryMetrics metrics) {
        this.backend = backend;
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        QueryRequest request = exchange.getProperty(QueryRequest.PROPERTY, QueryRequest.class);
        backend.send(request).whenComplete((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                String tls = io.influxrelay.backend.BackendTls.explain(backend.backend(), cause);
                health.failed("query: " + (tls != null ? tls : cause.getClass().getSimpleName()));
                exchange.setException(new ReplicaFailed(backend.backend() + ": " + cause.getMessage()));
            } else if (response.status() >= 500) {
                close(response.body());
                health.failed("query answered " + response.status());
                exchange.setException(new ReplicaFailed(backend.backend() + " answered " + response.status()));
            } else {
                QueryAnswer.pass(exchange, response.status(), response.headers(), response.body());
                metrics.readServed(backend.backend());
            }
            callback.done(false);
        });
        return false;
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection goes either way
        }
    }

    /** This backend could not answer the read: the next one is asked. */
    static final class ReplicaFailed extends Exception {
        ReplicaFailed(String message) {
            super(message, null, false, false);
        }
    }
}
