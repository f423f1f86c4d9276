package io.influxrelay.backend;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.config.BackendConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The headers of a write on its way to an InfluxDB backend, direct or replayed: only what InfluxDB
 * needs goes out, the client's query string and credentials; every other header is dropped (netty-http
 * would forward the client's own). A backend configured with credentials in its URL gets them as Basic
 * authorization, unless the client sent its own: the client's go, as if it wrote to that InfluxDB itself.
 */
public final class BackendRequest {
    private BackendRequest() {
    }

    /**
     * The camel-http endpoint that posts to one of the backend's paths (/write, /query) over its own
     * pooled client ({@code backendClient-<name>}): the status stays in the message when
     * {@code throwOnFailure} is false, else a non-2xx is an HttpOperationFailedException.
     */
    public static String post(BackendConfig backend, String path, boolean throwOnFailure) {
        return backend.endpoint(path) + "?httpMethod=POST&bridgeEndpoint=true&throwExceptionOnFailure=" + throwOnFailure
                + "&httpClientConfigurer=#backendClient-" + backend.name();
    }

    public static void headers(Message m, BackendConfig backend, String query, String clientAuthorization) {
        headers(m, backend, query, clientAuthorization, BufferedWrite.Kind.LINES);
    }

    /**
     * The same for a payload of this kind: its Content-Type, and for a Prometheus remote write the headers
     * of the remote-write protocol (version 0.1.0, the one whose body is a snappy-compressed WriteRequest,
     * the only one InfluxDB 1.x reads), so the backend gets the request as Prometheus sends it.
     */
    public static void headers(Message m, BackendConfig backend, String query, String clientAuthorization,
                               BufferedWrite.Kind kind) {
        String authorization = clientAuthorization != null ? clientAuthorization : backend.authorization();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_QUERY, query);
        m.setHeader(Exchange.CONTENT_TYPE, kind.contentType());
        if (kind == BufferedWrite.Kind.PROMETHEUS) {
            m.setHeader("Content-Encoding", "snappy");
            m.setHeader("X-Prometheus-Remote-Write-Version", "0.1.0");
        }
        if (authorization != null) {
            m.setHeader("Authorization", authorization);
        }
    }
}
