package io.influxrelay.query;

import io.influxrelay.http.InfluxResponses;
import io.influxrelay.http.RequestHeaders;
import io.influxrelay.write.QueryString;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;

/**
 * Turns a client's /query into a {@link QueryRequest}: finds q where InfluxDB looks for it (the URL,
 * or a POST's form body, as the CLI and client libraries send it) and classifies its statements. A
 * request InfluxDB would refuse before running anything is answered here, as InfluxDB answers it.
 */
public final class QueryRequestReader implements Processor {

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(QueryRequest.ARRIVED, System.nanoTime());
        Message in = exchange.getIn();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        if ("OPTIONS".equals(method)) {
            InfluxResponses.noContent(exchange);
            exchange.setRouteStop(true);
            return;
        }
        if (!"GET".equals(method) && !"POST".equals(method)) {
            InfluxResponses.methodNotAllowed(exchange, "GET, POST, OPTIONS");
            exchange.setRouteStop(true);
            return;
        }
        String rawQuery = in.getHeader(Exchange.HTTP_RAW_QUERY, "", String.class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        byte[] body = "POST".equals(method) ? in.getBody(byte[].class) : null;
        String q = new QueryString(rawQuery).get("q");
        if (q == null && body != null && QueryRequest.isForm(contentType)) {
            q = new QueryString(new String(body, StandardCharsets.UTF_8)).get("q");
        }
        ClassifiedQuery statements = StatementClassifier.classify(q);
        if (statements.kind() == QueryKind.EMPTY) {
            InfluxResponses.error(exchange, 400, "missing required parameter \"q\"");
            exchange.setRouteStop(true);
            return;
        }
        QueryRequest request = new QueryRequest(method, rawQuery, body, contentType,
                in.getHeader("Authorization", String.class), in.getHeader("Accept-Encoding", String.class), statements);
        RequestHeaders.dropAllButConnection(in);
        in.setBody(null);
        exchange.setProperty(QueryRequest.PROPERTY, request);
        exchange.setProperty(QueryRequest.KIND, statements.kind().name());
    }
}
