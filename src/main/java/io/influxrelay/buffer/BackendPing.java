package io.influxrelay.buffer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a backend's /ping whether it is up: tells a refused write from a backend in trouble. */
final class BackendPing {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI ping;

    BackendPing(URI baseUrl) {
        String base = baseUrl.toString();
        this.ping = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/ping");
    }

    boolean up() {
        try {
            HttpRequest request = HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).GET().build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
