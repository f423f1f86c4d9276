package io.influxrelay.backend;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

/**
 * HttpClient's own retries are off (it re-sends a POST after a 503 or 429, doubling writes). One
 * exception: a pooled connection that the backend closed while idle (it restarted) fails at once with
 * no response or a reset; that write is sent again, once, on a fresh connection. Re-sending is safe:
 * every point the relay forwards carries its timestamp, so InfluxDB stores it once either way.
 */
final class RetryOnStaleConnection implements HttpRequestRetryStrategy {

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        boolean stale = exception instanceof NoHttpResponseException
                || (exception instanceof SocketException && !(exception instanceof ConnectException));
        return execCount <= 1 && stale;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false; // a status is an answer: the response rules and the buffer deal with it
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
