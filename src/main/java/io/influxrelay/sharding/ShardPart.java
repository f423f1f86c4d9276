package io.influxrelay.sharding;

import io.influxrelay.fanout.WriteOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Makes the split's exchange for one shard's part a write of its own: its lines, outcome and backends. */
public final class ShardPart implements Processor {
    @Override
    public void process(Exchange exchange) {
        ShardWrite part = exchange.getIn().getBody(ShardWrite.class);
        exchange.getIn().setBody(part.lines());
        exchange.setProperty(WriteOutcome.PROPERTY, part.outcome());
        exchange.setProperty(ShardWrite.RECIPIENTS, part.recipients());
    }
}
