package io.influxrelay.sharding;

import io.influxrelay.fanout.ResponseRulesAggregation;
import io.influxrelay.fanout.WriteOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;

import java.util.List;

/**
 * The fan-out's preparation of each backend's copy of a split write (the recipient list's onPrepare, which
 * runs once the copy knows its endpoint): the copy becomes a write of that backend's shard part, with the
 * part's lines and the outcome the response rules of that shard decide.
 */
public final class ShardPart implements Processor {
    @Override
    public void process(Exchange exchange) {
        String backend = ResponseRulesAggregation.backendOf(exchange.getProperty(ExchangePropertyKey.TO_ENDPOINT, String.class));
        @SuppressWarnings("unchecked")
        List<ShardWrite> parts = exchange.getProperty(ShardWrite.PARTS, List.class);
        for (ShardWrite part : parts) {
            if (part.backends().contains(backend)) {
                exchange.getIn().setBody(part.lines());
                exchange.setProperty(WriteOutcome.PROPERTY, part.outcome());
                return;
            }
        }
        throw new IllegalStateException("no part of the write is for backend " + backend);
    }
}
