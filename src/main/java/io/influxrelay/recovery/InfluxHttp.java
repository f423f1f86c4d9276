package io.influxrelay.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxrelay.config.BackendConfig;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The engine's reads from InfluxDB's /query: schema statements (small answers, read whole) and the
 * streamed reads of chunks and windows. Apache's classic client and not camel-http: the relay's
 * camel-http clients read at most 64 KiB of an answer, and a chunk's answer is read for as long as
 * its points are being written. No automatic retries: a failed read fails the job, which can be re-run.
 */
public final class InfluxHttp extends ServiceSupport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The longest wait for a byte of a streamed answer: InfluxDB may think a while over a large chunk. */
    private static final Timeout READ_TIMEOUT = Timeout.ofMinutes(5);
    private static final int ERROR_TEXT_LIMIT = 4096;

    private final CloseableHttpClient client;

    /** Backends over https only with the system's CAs (tests). */
    public InfluxHttp() {
        this(DefaultClientTlsStrategy.createSystemDefault());
    }

    /** @param tls each https backend's own TLS (io.influxrelay.backend.BackendTls#strategy(java.util.List)) */
    public InfluxHttp(TlsSocketStrategy tls) {
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls)
                        .setMaxConnTotal(32).setMaxConnPerRoute(8)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(10)).setSocketTimeout(READ_TIMEOUT)
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(READ_TIMEOUT).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /** A statement with a small answer (SHOW ..., CREATE ...), posted; InfluxDB's error text is thrown. */
    JsonNode statement(BackendConfig backend, String db, String influxQl) {
        HttpPost post = new HttpPost(URI.create(backend.endpoint("/query") + (db == null ? "" : "?db=" + enc(db))));
        post.setEntity(new StringEntity("q=" + enc(influxQl), ContentType.APPLICATION_FORM_URLENCODED));
        try (ClassicHttpResponse response = execute(backend, post)) {
            JsonNode answer = MAPPER.readTree(response.getEntity().getContent());
            String error = answer.path("error").asText(answer.path("results").path(0).path("error").asText(null));
            if (error != null) {
                throw new RecoveryException(backend.name() + " refused " + firstWord(influxQl) + ": " + error);
            }
            return answer.path("results").path(0);
        } catch (IOException e) {
            throw transport(backend, e);
        }
    }

    /** A SELECT whose answer streams in chunks of rows: read it with {@link QueryRows}, then close it. */
    RowStream select(BackendConfig backend, String db, String influxQl) {
        HttpGet get = new HttpGet(URI.create(backend.endpoint("/query") + "?db=" + enc(db)
                + "&epoch=ns&chunked=true&chunk_size=10000&q=" + enc(influxQl)));
        ClassicHttpResponse response = execute(backend, get);
        try {
            return new RowStream(get, response, new QueryRows(response.getEntity().getContent(), backend.name()));
        } catch (IOException | RuntimeException e) {
            get.cancel();
            closeQuietly(response);
            throw e instanceof IOException io ? transport(backend, io) : (RuntimeException) e;
        }
    }

    /** Any answer but 200 is InfluxDB refusing: its text becomes the error. */
    private ClassicHttpResponse execute(BackendConfig backend, HttpUriRequestBase request) {
        if (backend.authorization() != null) {
            request.setHeader("Authorization", backend.authorization());
        }
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(null, request, null);
        } catch (IOException e) {
            throw transport(backend, e);
        }
        if (response.getCode() != 200) {
            String text = errorText(response);
            closeQuietly(response);
            throw new RecoveryException(backend.name() + " answered " + response.getCode() + " to /query: " + text);
        }
        return response;
    }

    private static String errorText(ClassicHttpResponse response) {
        if (response.getEntity() == null) {
            return "";
        }
        try (InputStream in = response.getEntity().getContent()) {
            String body = new String(in.readNBytes(ERROR_TEXT_LIMIT), StandardCharsets.UTF_8);
            try {
                return MAPPER.readTree(body).path("error").asText(body);
            } catch (IOException notJson) {
                return body;
            }
        } catch (IOException e) {
            return "(unreadable answer: " + e.getMessage() + ")";
        }
    }

    static RecoveryException transport(BackendConfig backend, IOException e) {
        return new RecoveryException("cannot read from " + backend.name() + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }

    private static String firstWord(String influxQl) {
        String[] words = influxQl.trim().split("\\s+", 3);
        return words.length > 1 ? words[0] + " " + words[1] : words[0];
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is dropped either way
        }
    }

    @Override
    protected void doStop() throws Exception {
        client.close();
    }

    /** The rows of one streamed answer; closed before its end, the connection is dropped rather than drained. */
    static final class RowStream implements AutoCloseable {
        private final HttpUriRequestBase request;
        private final ClassicHttpResponse response;
        private final QueryRows rows;

        RowStream(HttpUriRequestBase request, ClassicHttpResponse response, QueryRows rows) {
            this.request = request;
            this.response = response;
            this.rows = rows;
        }

        QueryRows rows() {
            return rows;
        }

        @Override
        public void close() {
            if (!rows.ended()) {
                request.cancel();
            }
            try {
                rows.close();
            } catch (IOException ignored) {
                // dropped on purpose
            } finally {
                closeQuietly(response);
            }
        }
    }
}
