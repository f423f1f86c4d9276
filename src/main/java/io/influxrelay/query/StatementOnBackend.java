package io.influxrelay.query;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Statements that change state, on one backend: its whole answer (InfluxDB's answers to them are
 * small; a q that mixes in a large read is read up to {@link #MAX_ANSWER}) is left for the aggregation.
 */
final class StatementOnBackend extends AsyncProcessorSupport {
    static final String REPLY = "relay.statement.reply";
    static final int MAX_ANSWER = 16 << 20;

    private final BackendQuery backend;
    private final Duration timeout;

    StatementOnBackend(BackendQuery backend, Duration timeout) {
        this.backend = backend;
        this.timeout = timeout;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        QueryRequest request = exchange.getProperty(QueryRequest.PROPERTY, QueryRequest.class);
        backend.send(request, timeout).whenComplete((response, failure) -> {
            StatementReply reply;
            if (failure != null) {
                reply = StatementReply.failed(backend.backend(), failure.toString());
            } else {
                try (InputStream body = response.body()) {
                    reply = new StatementReply(backend.backend(), response.statusCode(), response.headers(),
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
