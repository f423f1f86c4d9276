package io.influxrelay.http;

import org.apache.camel.Message;

/**
 * Drops a request's headers once the relay has read what it needs: the fan-out copies the message once
 * per backend, and netty-http would echo them in the answer. Keeps the client's Connection header
 * (keep-alive). Cheaper than Camel's removeHeaders("*", "Connection"), which compiles the exclude
 * pattern as a regex for every header of every request.
 */
public final class RequestHeaders {
    private RequestHeaders() {
    }

    public static void dropAllButConnection(Message m) {
        Object connection = m.getHeader("Connection");
        m.getHeaders().clear();
        if (connection != null) {
            m.setHeader("Connection", connection);
        }
    }
}
