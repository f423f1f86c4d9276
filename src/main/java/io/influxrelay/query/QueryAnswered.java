package io.influxrelay.query;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Counts a /query once its answer is decided: by kind (read, schema) and status, and how long it took. */
public final class QueryAnswered implements Processor {
    private final QueryMetrics metrics;

    public QueryAnswered(QueryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        String kind = QueryKind.READ.name().equals(exchange.getProperty(QueryRequest.KIND, String.class)) ? "read" : "schema";
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        metrics.answered(kind, status, System.nanoTime() - started(exchange));
    }

    private static long started(Exchange exchange) {
        Long t = exchange.getProperty(QueryRequest.ARRIVED, Long.class);
        return t == null ? System.nanoTime() : t;
    }
}
