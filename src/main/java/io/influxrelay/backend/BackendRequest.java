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

    /**
     * The netty-http endpoint that posts to a plain-HTTP backend's path without a thread per request: on
     * the event loops of {@link BackendLoops}, at most {@code maxConnections} pooled connections (the
     * {@link BackendGate} keeps the writes in flight within them), the backend's timeout to connect and to
     * answer, the status left in the message. No status is "ok" to netty-http: the response rules judge
     * them all, and netty-http would otherwise strip the answer of Camel headers by regular expression,
     * header by header (5 % of the relay's CPU at batch 100). The answer's message holds only what the
     * rules read ({@link BackendAnswerBinding}).
     */
    public static String postNonBlocking(BackendConfig backend, String path, int maxConnections) {
        long timeout = backend.timeout().toMillis();
        return "netty-http:" + backend.endpoint(path) + "?throwExceptionOnFailure=false&okStatusCodeRange=999&disableStreamCache=true"
                + "&producerPoolMaxTotal=" + maxConnections + "&producerPoolBlockWhenExhausted=false"
                + "&connectTimeout=" + timeout + "&requestTimeout=" + timeout
                + "&workerGroup=#" + BackendLoops.NAME + "&clientInitializerFactory=#" + BackendPipeline.NAME
                + "&nettyHttpBinding=#" + BackendAnswerBinding.NAME;
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
