package io.influxrelay.query;

import io.influxrelay.buffer.BackendBuffer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.io.IOException;
import java.io.InputStream;

/**
 * Statements that change state, on one backend: its whole answer (InfluxDB's answers to them are
 * small; a q that mixes in a large read is read up to {@link #MAX_ANSWER}) is left for the aggregation.
 * While the backend's retry buffer owes it older writes, the statements are not sent but wait their
 * turn there ({@link StatementRules} queues them once the client's answer is known).
 */
final class StatementOnBackend extends AsyncProcessorSupport {
    static final String REPLY = "relay.statement.reply";
    static final int MAX_ANSWER = 16 << 20;

    private final BackendQuery backend;
    private final BackendBuffer buffer;

    StatementOnBackend(BackendQuery backend, BackendBuffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        QueryRequest request = exchange.getProperty(QueryRequest.PROPERTY, QueryRequest.class);
        if (buffer != null && !buffer.idle()) {
            exchange.setProperty(REPLY, StatementReply.deferred(backend.backend()));
            callback.done(true);
            return true;
        }
        backend.send(request).whenComplete((response, failure) -> {
            StatementReply reply;
            if (failure != null) {
                reply = StatementReply.failed(backend.backend(), (failure.getCause() != null ? failure.getCause() : failure).toString());
            } else {
                try (InputStream body = response.body()) {
                    reply = new StatementReply(backend.backend(), response.status(), response.headers(),
                            body.readNBytes(MAX_ANSWER), null);
                } catch (IOException e) {
                    reply = StatementReply.failed(backend.backend(), e.toString());
                }
            }
            exchange.setProperty(REPLY, reply);
            callback.done(false);
        });
        return false;
    }
}
