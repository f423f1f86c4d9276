package io.influxrelay.fanout;

import io.influxrelay.health.FailureCause;
import io.influxrelay.metrics.RelayMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recipientList's aggregation: each backend's reply goes to the write's {@link WriteOutcome} as
 * it completes (the recipientList runs with streaming, so in completion order), which applies the
 * {@link ResponseRules} and answers the client as soon as they decide.
 */
public final class ResponseRulesAggregation implements AggregationStrategy {
    /** Exchange property the backend route leaves its {@link BackendReply} in. */
    public static final String REPLY = "relay.reply";

    private static final Pattern BACKEND_ENDPOINT = Pattern.compile("^direct:(?://)?backend-([A-Za-z0-9_-]+)");

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

    /** The backend a recipient endpoint (direct://backend-NAME?...) stands for. */
    static String backendOf(String endpointUri) {
        Matcher m = endpointUri == null ? null : BACKEND_ENDPOINT.matcher(endpointUri);
        return m != null && m.find() ? m.group(1) : "unknown";
    }
}
