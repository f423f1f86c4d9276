package io.influxrelay.query;

import io.influxrelay.config.BackendConfig;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a client's /query to one backend as the client sent it (method, query string, form body,
 * credentials, Accept-Encoding) and hands back InfluxDB's answer as it arrives: the head once it is
 * in, the body as a stream the caller reads at its own pace and closes (closing early cancels the
 * backend's work). The JDK client, not camel-http: its answer lives until the caller closes it,
 * where camel-http closes the stream when the exchange completes, while the client is still reading.
 */
public final class BackendQuery {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final BackendConfig backend;
    private final URI query;

    public BackendQuery(BackendConfig backend) {
        this.backend = backend;
        this.query = URI.create(backend.endpoint("/query"));
    }

    public String backend() {
        return backend.name();
    }

    /**
     * The backend's answer head with its body unread.
     *
     * @param firstByte how long the backend may take to start answering (zero: no bound)
     */
    public CompletableFuture<HttpResponse<InputStream>> send(QueryRequest request, Duration firstByte) {
        URI target = request.rawQuery().isEmpty() ? query : URI.create(query + "?" + request.rawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (!firstByte.isZero()) {
            b.timeout(firstByte);
        }
        if (request.contentType() != null) {
            b.header("Content-Type", request.contentType());
        }
        if (request.acceptEncoding() != null) {
            b.header("Accept-Encoding", request.acceptEncoding());
        }
        String authorization = request.authorization() != null ? request.authorization() : backend.authorization();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }
}
