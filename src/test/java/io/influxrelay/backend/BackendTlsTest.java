package io.influxrelay.backend;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.ConfigSource;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.health.FailureCause;
import io.influxrelay.testing.TestCertificates;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A backend's TLS against real TLS servers (the JDK's HttpsServer, over the SSLContext the relay's own
 * listener configuration makes): what is trusted, what is refused, and what the relay says about it,
 * through both kinds of client the relay has (HttpClient 5 for writes and reads, java.net.http for /ping).
 */
class BackendTlsTest {
    private static TestCertificates certs;
    /** signed by the test CA, for 127.0.0.1 and localhost */
    private static HttpsServer good;
    /** signed by another CA */
    private static HttpsServer foreign;
    /** on 127.0.0.2, a name neither certificate holds: the test CA's, and the other CA's */
    private static HttpsServer goodElsewhere;
    private static HttpsServer foreignElsewhere;

    @BeforeAll
    static void start() throws IOException {
        certs = TestCertificates.create();
        good = server("127.0.0.1", certs.serverCert().toString(), certs.serverKey().toString());
        foreign = server("127.0.0.1", certs.otherServerCert().toString(), certs.otherServerKey().toString());
        goodElsewhere = server("127.0.0.2", certs.serverCert().toString(), certs.serverKey().toString());
        foreignElsewhere = server("127.0.0.2", certs.otherServerCert().toString(), certs.otherServerKey().toString());
    }

    @AfterAll
    static void stop() {
        for (HttpsServer server : List.of(good, foreign, goodElsewhere, foreignElsewhere)) {
            server.stop(0);
        }
        certs.close();
    }

    private static HttpsServer server(String address, String cert, String key) throws IOException {
        RelayConfig config = RelayConfig.from(ConfigSource.of(Map.of("relay.http.tls.cert", cert, "relay.http.tls.key", key)));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
        try {
            server.setHttpsConfigurator(new HttpsConfigurator(config.httpTls().parameters().createSSLContext(null)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/ping", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static BackendConfig backend(String host, HttpsServer server, String... tlsKeys) {
        Map<String, String> keys = new HashMap<>(Map.of("relay.backends", "b",
                "relay.backend.b.url", "https://" + host + ":" + server.getAddress().getPort()));
        for (int i = 0; i < tlsKeys.length; i += 2) {
            keys.put("relay.backend.b.tls." + tlsKeys[i], tlsKeys[i + 1]);
        }
        return RelayConfig.from(ConfigSource.of(keys)).backends().get(0);
    }

    /** A GET of /ping over HttpClient 5 with the backend's TLS, as camel-http and the query client make it. */
    private static int apacheGet(BackendConfig backend) throws IOException {
        TlsSocketStrategy tls = BackendTls.strategy(backend);
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create().setTlsSocketStrategy(tls).build()).build()) {
            return client.execute(new HttpGet(backend.endpoint("/ping")), r -> r.getCode());
        }
    }

    private static int jdkGet(BackendConfig backend) throws IOException, InterruptedException {
        return BackendTls.javaClient(backend).build().send(HttpRequest.newBuilder(URI.create(backend.endpoint("/ping"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aBackendSignedByTheConfiguredCaIsReached() throws Exception {
        BackendConfig b = backend("127.0.0.1", good, "ca", certs.ca().toString());
        assertThat(apacheGet(b)).isEqualTo(204);
        assertThat(jdkGet(b)).isEqualTo(204);
        assertThat(new BackendPing(b).up()).isTrue();
        // the shared pool of the recovery engine picks b's TLS by address
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder
                .create().setTlsSocketStrategy(BackendTls.strategy(List.of(b))).build()).build()) {
            int status = client.execute(new HttpGet(b.endpoint("/ping")), r -> r.getCode());
            assertThat(status).isEqualTo(204);
        }
    }

    @Test
    void theSystemTrustStoreDoesNotKnowTheTestCa() {
        BackendConfig b = backend("127.0.0.1", good);
        Throwable e = catchThrowable(() -> apacheGet(b));
        assertThat(FailureCause.of(e)).isEqualTo("tls");
        assertThat(BackendTls.explain("b", e)).isEqualTo(
                "TLS certificate not trusted (PKIX path building failed): set relay.backend.b.tls.ca to the CA that signed it");
    }

    @Test
    void aBackendSignedByAnotherCaIsRefusedWithTheKeyToSet() throws Exception {
        BackendConfig b = backend("127.0.0.1", foreign, "ca", certs.ca().toString());
        Throwable apache = catchThrowable(() -> apacheGet(b));
        Throwable jdk = catchThrowable(() -> jdkGet(b));
        assertThat(FailureCause.of(apache)).isEqualTo("tls");
        assertThat(FailureCause.of(jdk)).isEqualTo("tls");
        assertThat(BackendTls.explain("b", apache)).startsWith("TLS certificate not trusted (PKIX path building failed)");
        assertThat(BackendTls.explain("b", jdk)).startsWith("TLS certificate not trusted (PKIX path building failed)");
        assertThat(new BackendPing(b).probe().join()).isEqualTo(
                "TLS certificate not trusted (PKIX path building failed): set relay.backend.b.tls.ca to the CA that signed it");
    }

    @Test
    void theNameInTheCertificateIsChecked() throws Exception {
        // the certificate names 127.0.0.1 and localhost only
        BackendConfig b = backend("127.0.0.2", goodElsewhere, "ca", certs.ca().toString());
        Throwable apache = catchThrowable(() -> apacheGet(b));
        Throwable jdk = catchThrowable(() -> jdkGet(b));
        assertThat(apache).isNotNull();
        assertThat(jdk).isNotNull();
        assertThat(FailureCause.of(apache)).isEqualTo("tls");
        assertThat(BackendTls.explain("b", apache)).startsWith("TLS certificate does not name this host");
        assertThat(BackendTls.explain("b", jdk)).startsWith("TLS certificate does not name this host");
        assertThat(apacheGet(backend("localhost", good, "ca", certs.ca().toString()))).isEqualTo(204);
    }

    @Test
    void insecureChecksNeitherTheCaNorTheName() throws Exception {
        BackendConfig b = backend("127.0.0.2", foreignElsewhere, "insecure", "true");
        assertThat(apacheGet(b)).isEqualTo(204);
        assertThat(jdkGet(b)).isEqualTo(204);
        assertThat(new BackendPing(b).up()).isTrue();
    }

    @Test
    void aFailureThatIsNotTlsIsLeftToTheOtherCauses() {
        assertThat(BackendTls.explain("b", new java.net.ConnectException("Connection refused"))).isNull();
    }
}
