package io.influxrelay.fanout;

import io.influxrelay.metrics.RelayMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

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
        if (reply == null) { // the backend route failed before it could say what happened
            Exception e = newExchange.getException();
            reply = BackendReply.transportFailure("unknown", e == null ? "no reply" : e.toString());
        }
        outcome.record(reply, metrics);
        newExchange.setException(null);
        return oldExchange != null ? oldExchange : newExchange;
    }
}
