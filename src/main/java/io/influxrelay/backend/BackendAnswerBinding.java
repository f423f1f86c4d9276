package io.influxrelay.backend;

import io.netty.handler.codec.http.HttpResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.http.DefaultNettyHttpBinding;
import org.apache.camel.component.netty.http.NettyHttpConfiguration;

import java.util.Map;

/**
 * netty-http's binding for a plain-HTTP backend's answer to a write (bound as {@value #NAME}): the answer's
 * message gets only what the response rules read, the status and InfluxDB's {@code X-Influxdb-Error}. The
 * default binding copies the request's Camel headers and every response header through the header filter
 * strategy, header by header, on every write to every backend (a tenth of a backend request's CPU).
 * netty-http takes a copy per endpoint ({@code clone}, which keeps the class).
 */
public final class BackendAnswerBinding extends DefaultNettyHttpBinding {
    public static final String NAME = "backendAnswers";
    static final String INFLUX_ERROR = "X-Influxdb-Error";

    @Override
    public void populateCamelHeaders(HttpResponse response, Map<String, Object> headers, Exchange exchange,
                                     NettyHttpConfiguration configuration) {
        headers.put(Exchange.HTTP_RESPONSE_CODE, response.status().code());
        String error = response.headers().get(INFLUX_ERROR);
        if (error != null) {
            headers.put(INFLUX_ERROR, error);
        }
    }
}
