package io.influxrelay.backend;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The headers of a write on its way to an InfluxDB backend, direct or replayed: only what InfluxDB
 * needs goes out, the client's query string and credentials; every other header is dropped (netty-http
 * would forward the client's own).
 */
public final class BackendRequest {
    private BackendRequest() {
    }

    public static void headers(Message m, String query, String authorization) {
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_QUERY, query);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (authorization != null) {
            m.setHeader("Authorization", authorization);
        }
    }
}
