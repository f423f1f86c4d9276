package io.influxrelay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The relay's management endpoints over HTTP/1.1. Every answer is JSON; a refusal carries
 * {"error": ...}, which becomes the message of an AdminException. POSTs go without an Origin header
 * (java.net.http sends none), as the relay refuses cross-site POSTs.
 */
final class RelayClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http;
    private final String ca;

    RelayClient(String base) {
        this(base, null);
    }

    /**
     * @param ca a PEM file of the CA (or the certificate itself) that an https management port's
     *           certificate is checked against (RELAY_ADMIN_CA); null: the JVM's trust store
     */
    RelayClient(String base, String ca) {
        this.base = base;
        this.ca = ca;
        // HTTP/1.1: the default would offer an h2c upgrade the management server has no use for
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ca != null && !ca.isBlank()) {
            builder.sslContext(trusting(ca));
        }
        this.http = builder.build();
    }

    /** An SSLContext that trusts the certificates of a PEM file, and only them. */
    private static javax.net.ssl.SSLContext trusting(String pem) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(pem))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new AdminException("RELAY_ADMIN_CA: " + pem + " holds no PEM certificate");
            }
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new AdminException("RELAY_ADMIN_CA: cannot read certificates from " + pem + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), "GET", path);
    }

    JsonNode post(String path, JsonNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)), "POST", path);
    }

    private URI uri(String path) {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new AdminException("'" + base + "' is not a usable relay URL (" + e.getMessage() + ")");
        }
    }

    private JsonNode send(HttpRequest.Builder request, String method, String path) {
        HttpResponse<String> answer;
        try {
            answer = http.send(request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new AdminException("cannot reach the relay at " + base + " (" + reason(e)
                    + "); is it running, with its management port there? (--relay URL or RELAY_ADMIN_URL)");
        } catch (HttpTimeoutException e) {
            throw new AdminException("the relay at " + base + " did not answer " + method + " " + path + " within 30s");
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new AdminException("the relay at " + base + " has a certificate this command does not trust (" + reason(e) + "): "
                    + (ca == null ? "set RELAY_ADMIN_CA to the PEM file of the CA that signed it"
                    : "RELAY_ADMIN_CA=" + ca + " is not the CA that signed it"));
        } catch (IOException e) {
            throw new AdminException("cannot talk to the relay at " + base + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new AdminException("'" + base + "' is not a usable relay URL (" + e.getMessage() + ")");
        }
        JsonNode json = parse(answer.body());
        int status = answer.statusCode();
        if (status / 100 == 2 && json != null) {
            return json;
        }
        if (json != null && json.hasNonNull("error")) {
            throw new AdminException(json.get("error").asText() + " (" + status + " from " + method + " " + base + path + ")");
        }
        if (status == 404) {
            // no JSON error: a relay without these endpoints, or another server on that port
            throw new AdminException(base + " does not serve " + path + " (404): a relay without relay-admin support, or not the relay's management port");
        }
        throw new AdminException("unexpected answer " + status + " to " + method + " " + base + path
                + (answer.body().isBlank() ? "" : ": " + abbreviate(answer.body())));
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof ConnectException && (m == null || m.isBlank())) {
            return "connection refused";
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }
}
