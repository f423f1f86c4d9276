package io.influxrelay.backend;

import io.influxrelay.config.BackendConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks a backend's /ping whether it is up. */
public final class BackendPing {
    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final URI ping;
    private final String authorization;
    private final String name;
    /** Shared when plain; an https backend's own (its CAs) */
    private final HttpClient client;

    public BackendPing(BackendConfig backend) {
        this.ping = URI.create(backend.endpoint("/ping"));
        this.authorization = backend.authorization();
        this.name = backend.name();
        this.client = backend.https() ? BackendTls.javaClient(backend).connectTimeout(Duration.ofSeconds(2)).build() : PLAIN;
    }

    /** Null when the backend answered 2xx, else what went wrong. */
    public CompletableFuture<String> probe() {
        HttpRequest.Builder request = HttpRequest.newBuilder(ping).timeout(TIMEOUT).GET();
        if (authorization != null) { // InfluxDB 1.8 with ping-auth-enabled wants them on /ping too
            request.header("Authorization", authorization);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e != null ? describe(e) : r.statusCode() / 100 == 2 ? null : "/ping answered " + r.statusCode());
    }

    public boolean up() {
        return probe().join() == null;
    }

    private String describe(Throwable e) {
        String tls = BackendTls.explain(name, e);
        if (tls != null) {
            return tls;
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
