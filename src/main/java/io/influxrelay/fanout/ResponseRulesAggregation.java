package io.influxrelay.fanout;

import io.influxrelay.health.FailureCause;
import io.influxrelay.metrics.RelayMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The recipientList's aggregation: each backend's reply goes to the write's {@link WriteOutcome} as
 * it completes (the recipientList runs with streaming, so in completion order), which applies the
 * {@link ResponseRules} and answers the client as soon as they decide.
 */
public final class ResponseRulesAggregation implements AggregationStrategy {
    /** Exchange property the backend route leaves its {@link BackendReply} in. */
    public static final String REPLY = "relay.reply";

    private final RelayMetrics metrics;

    public ResponseRulesAggregation(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        WriteOutcome outcome = newExchange.getProperty(WriteOutcome.PROPERTY, WriteOutcome.class);
        BackendReply reply = newExchange.getProperty(REPLY, BackendReply.class);
        if (reply == null) { // the backend route failed before it could say what happened (it is stopped, say)
            Exception e = newExchange.getException();
            String backend = backendOf(newExchange.getProperty(ExchangePropertyKey.TO_ENDPOINT, String.class));
            reply = BackendReply.transportFailure(backend, e == null ? "no reply" : e.toString());
            // a named backend missed the write: counted, and buffered like any transport failure
            metrics.backendFailure(backend, FailureCause.of(e));
        }
        outcome.record(reply, metrics);
        newExchange.setException(null);
        return oldExchange != null ? oldExchange : newExchange;
    }

    /** The backend a recipient endpoint (direct:backend-NAME?..., or direct://backend-NAME?...) stands for. */
    public static String backendOf(String endpointUri) {
        if (endpointUri == null || !endpointUri.startsWith("direct:")) {
            return "unknown";
        }
        int from = endpointUri.startsWith("//", 7) ? 9 : 7;
        if (!endpointUri.startsWith("backend-", from)) {
            return "unknown";
        }
        int to = endpointUri.indexOf('?', from);
        return endpointUri.substring(from + "backend-".length(), to < 0 ? endpointUri.length() : to);
    }
}
