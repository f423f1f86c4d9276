package io.influxrelay.backend;

import io.influxrelay.config.BackendConfig;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.impl.io.MonitoringResponseOutOfOrderStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HttpClient for one backend: its own keep-alive pool (one backend's trouble never takes
 * another's connections), its timeout on every step, and no automatic retries. Only a whole response
 * head is an answer, and only its first 64 KiB of body are read.
 */
final class BackendHttpClient implements HttpClientConfigurer {
    private final BackendConfig backend;
    private final int maxConnections;
    private final TlsSocketStrategy tls;

    BackendHttpClient(BackendConfig backend, int maxConnections) {
        this.backend = backend;
        this.maxConnections = maxConnections;
        // made once: camel-http asks again for every endpoint (writes, replays, resync batches)
        this.tls = BackendTls.strategy(backend);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        Timeout timeout = Timeout.ofMilliseconds(backend.timeout().toMillis());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                // the pool replaces camel-http's, and with it its TLS: the backend's own CAs (or none checked)
                .setTlsSocketStrategy(tls)
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        // a connection idle this long is checked before use: catches most backend restarts
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .responseParserFactory(WholeHeadResponseParser.FACTORY)
                        // InfluxDB answers a body over its max-body-size 413 before reading it all, then
                        // closes: look for that answer while sending (every 64 KiB). It is seen only while
                        // the socket buffers still take the rest of the body; past that the send fails as
                        // a broken pipe (README: max-body-size on the backends)
                        .responseOutOfOrderStrategy(new MonitoringResponseOutOfOrderStrategy(64 * 1024))
                        .build())
                .build();
        builder.setConnectionManager(pool)
                // first: it must see the body as the caller reads it, after any decoding
                .addExecInterceptorFirst(BoundedResponse.NAME, new BoundedResponse())
                .setConnectionManagerShared(false)
                .setRetryStrategy(new RetryOnStaleConnection())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30));
    }
}
