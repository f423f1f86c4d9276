package io.influxrelay.sharding;

import io.influxrelay.query.CaughtUpReplicas;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** One shard's read of a merged read (the split's exchange): to a caught-up replica of that shard only. */
public final class ShardReadStep implements Processor {
    @Override
    public void process(Exchange exchange) {
        ShardReads.ShardRead read = exchange.getIn().getBody(ShardReads.ShardRead.class);
        exchange.setProperty("relay.query.shard-read", read);
        exchange.setProperty(CaughtUpReplicas.ONLY, read.backends());
        exchange.getIn().setBody(null);
    }
}
