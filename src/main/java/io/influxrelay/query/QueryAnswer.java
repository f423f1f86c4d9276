package io.influxrelay.query;

import io.influxrelay.http.InfluxResponses;
import io.influxrelay.http.RequestHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.Map;

/** A backend's answer to a /query, passed on to the client as InfluxDB gave it: status, headers, body. */
final class QueryAnswer {
    /** The headers of InfluxDB's answer a client reads; hop-by-hop ones (length, chunking) are the listener's. */
    private static final String[] PASSED = {"Content-Type", "Content-Encoding", "X-Influxdb-Version",
            "X-Influxdb-Build", "X-Influxdb-Error", "Request-Id", "X-Request-Id"};

    private QueryAnswer() {
    }

    /** @param headers the backend's, names in lower case */
    static void pass(Exchange exchange, int status, Map<String, String> headers, Object body) {
        Message m = exchange.getMessage();
        RequestHeaders.dropAllButConnection(m);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        for (String name : PASSED) {
            String value = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            if (value != null) {
                m.setHeader(name, value);
            }
        }
        m.setBody(body);
    }

    static void unavailable(Exchange exchange, String message) {
        InfluxResponses.error(exchange, 503, message);
    }
}
