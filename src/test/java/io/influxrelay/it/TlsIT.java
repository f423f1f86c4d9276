package io.influxrelay.it;

import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Prometheus;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayAdminCommand;
import io.influxrelay.testing.RelayProcess;
import io.influxrelay.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS as a user sets it up (README, "TLS"): certificates made with openssl, a client that trusts the
 * test CA writing over HTTPS, plain HTTP refused under relay.http.tls.only, an influxd with
 * https-enabled as a backend (checked against relay.backend.NAME.tls.ca, or not at all under
 * tls.insecure), a backend whose certificate the configured CA did not sign refused, logged and
 * counted, and the management port over HTTPS with bin/relay-admin.
 */
class TlsIT {
    private static final String KEYSTORE_PASSWORD = "k3ystore-Secret-77";

    private static TestCertificates certs;
    private static Influxd plain;
    private static Influxd secure;
    /** HTTPS and plain HTTP on one port (PEM keys); backends a (http) and b (https, the test CA); management over HTTPS */
    private static RelayProcess both;
    /** HTTPS only (a PKCS#12 key store); backends a (http), w (https, the wrong CA), i (https, insecure) */
    private static RelayProcess only;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        certs = TestCertificates.create();
        plain = Influxd.start();
        secure = Influxd.startWithTls(certs.serverCert(), certs.serverKey(), certs.ca());
        for (Influxd influxd : List.of(plain, secure)) {
            influxd.createDatabase("tls");
            influxd.createDatabase("wrongca");
        }
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(TestCertificates.trusting(certs.ca())).build();
        both = RelayProcess.start(Map.of(
                "relay.backends", "a,b",
                "relay.backend.a.url", plain.url(),
                "relay.backend.b.url", secure.url(),
                "relay.backend.b.tls.ca", certs.ca().toString(),
                "relay.write.consistency", "all",
                "relay.http.tls.cert", certs.serverCert().toString(),
                "relay.http.tls.key", certs.serverKey().toString(),
                "relay.management.tls.cert", certs.serverCert().toString(),
                "relay.management.tls.key", certs.serverKey().toString()));
        only = RelayProcess.launch(Map.of(
                "relay.backends", "a,w,i",
                "relay.backend.a.url", plain.url(),
                "relay.backend.w.url", secure.url(),
                "relay.backend.w.tls.ca", certs.otherCa().toString(),
                "relay.backend.i.url", secure.url(),
                "relay.backend.i.tls.insecure", "true",
                "relay.http.tls.keystore", certs.serverKeystore(KEYSTORE_PASSWORD).toString(),
                "relay.http.tls.keystore-password", KEYSTORE_PASSWORD,
                "relay.http.tls.only", "true"), List.of());
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> send(get(https(only) + "/ping")).statusCode() == 204);
    }

    @AfterAll
    static void stop() {
        Quietly.close(both, only, plain, secure, certs);
    }

    private static String https(RelayProcess relay) {
        return "https://127.0.0.1:" + relay.port();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aClientWithTheTestCaWritesOverHttpsToAPlainAndATlsBackend() throws Exception {
        HttpResponse<String> r = send(post(https(both) + "/write?db=tls", "over_https v=1 1000"));
        // consistency all: 204 only once the https backend has it too
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(plain.query("tls", "SELECT v FROM over_https")).contains("[1000,1]");
        assertThat(secure.query("tls", "SELECT v FROM over_https")).contains("[1000,1]");
        // reads go to the backends in turn, the https one too: every answer has the point
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> read = send(get(https(both) + "/query?db=tls&epoch=ns&q=" + enc("SELECT v FROM over_https")));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("[1000,1]");
        }
        // a statement goes to every backend, over TLS to b
        HttpResponse<String> create = send(post(https(both) + "/query?q=" + enc("CREATE DATABASE made_over_tls"), ""));
        assertThat(create.statusCode()).as(create.body()).isEqualTo(200);
        assertThat(secure.query("made_over_tls", "SHOW DATABASES")).contains("made_over_tls");
    }

    @Test
    void aShardOfAnHttpsBackendGetsItsPartOfASplitWriteWhole() throws Exception {
        for (Influxd influxd : List.of(plain, secure)) {
            influxd.createDatabase("sharded");
        }
        // s1 is the plain backend, s2 the https one: each shard's part, ranges of the write over plain HTTP,
        // goes to camel-http as one array
        try (RelayProcess sharded = RelayProcess.start(Map.of(
                "relay.backends", "a,b",
                "relay.backend.a.url", plain.url(),
                "relay.backend.b.url", secure.url(),
                "relay.backend.b.tls.ca", certs.ca().toString(),
                "relay.shards", "s1,s2",
                "relay.shard.s1.backends", "a",
                "relay.shard.s2.backends", "b"))) {
            StringBuilder lines = new StringBuilder();
            for (int k = 0; k < 60; k++) { // 20 measurements interleaved: each part is many ranges
                lines.append("m").append(k % 20).append(",t=x v=").append(k).append(' ').append(1000 + k).append('\n');
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(sharded.url() + "/write?db=sharded")).POST(HttpRequest.BodyPublishers.ofString(lines.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            int onSecure = 0;
            for (int m = 0; m < 20; m++) {
                String q = "SELECT v FROM m" + m;
                String fromPlain = plain.query("sharded", q);
                String fromSecure = secure.query("sharded", q);
                String held = fromPlain.contains("\"series\"") ? fromPlain : fromSecure;
                assertThat(fromPlain.contains("\"series\"")).as("m%d on exactly one shard", m)
                        .isNotEqualTo(fromSecure.contains("\"series\""));
                for (int k = m; k < 60; k += 20) {
                    assertThat(held).contains("[" + (1000 + k) + "," + k + "]");
                }
                onSecure += fromSecure.contains("\"series\"") ? 1 : 0;
            }
            assertThat(onSecure).as("measurements on the https shard").isBetween(1, 19);
        }
    }

    @Test
    void withoutTlsOnlyThePortStillServesPlainHttp() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(get(both.url() + "/ping"), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
    }

    @Test
    void underTlsOnlyPlainHttpGetsInfluxdbsAnswerAndTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", only.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /write?db=tls HTTP/1.1\r\nHost: relay\r\nContent-Length: 12\r\n\r\nplain v=1 1\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII); // to the close
            // what influxd with https-enabled (Go's net/http) answers, byte for byte
            assertThat(answer).isEqualTo("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
        }
        assertThat(plain.query("tls", "SELECT v FROM plain")).doesNotContain("[1,1]");
        assertThat(Prometheus.sample(send(get(https(only) + "/metrics")).body(), "relay_http_bad_requests_total",
                "reason=\"plain-http\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aClientThatDoesNotTrustTheRelaysCertificateIsRefused() {
        // the JVM's own trust store does not hold the test CA
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(get(https(only) + "/ping"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aBackendSignedByAnotherCaIsRefusedLoggedAndCountedAsABackendFailure() throws Exception {
        HttpResponse<String> r = send(post(https(only) + "/write?db=wrongca", "wrong_ca v=1 2000"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204); // a (and i) took it
        assertThat(plain.query("wrongca", "SELECT v FROM wrong_ca")).contains("[2000,1]");
        // i, insecure, reaches the same server: the point is there through i, never through w
        await().atMost(10, TimeUnit.SECONDS).until(() -> secure.query("wrongca", "SELECT v FROM wrong_ca").contains("[2000,1]"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(only.log()).contains("backend w").contains(
                    "TLS certificate not trusted (PKIX path building failed): set relay.backend.w.tls.ca to the CA that signed it");
            String metrics = send(get(https(only) + "/metrics")).body();
            assertThat(Prometheus.sample(metrics, "relay_backend_failures_total", "backend=\"w\",cause=\"tls\""))
                    .isGreaterThanOrEqualTo(1);
        });
        String status = send(get(https(only) + "/status")).body();
        assertThat(status).contains("TLS certificate not trusted");
        assertThat(only.log()).contains("relay.backend.i.tls.insecure=true, its certificate is NOT checked");
    }

    @Test
    void theManagementPortServesHttpsAndRelayAdminUsesIt() throws Exception {
        String management = both.managementUrl().replace("http://", "https://");
        HttpResponse<String> jobs = send(get(management + "/relay/jobs"));
        assertThat(jobs.statusCode()).as(jobs.body()).isEqualTo(200);
        HttpResponse<String> jolokia = send(get(management + "/observe/jolokia/version"));
        assertThat(jolokia.statusCode()).as(jolokia.body()).isEqualTo(200);

        RelayAdminCommand.Result trusted = RelayAdminCommand.run(Map.of("RELAY_ADMIN_URL", management,
                "RELAY_ADMIN_CA", certs.ca().toString()), "missing");
        assertThat(trusted.exit()).as(trusted.err()).isZero();
        RelayAdminCommand.Result untrusted = RelayAdminCommand.run(Map.of("RELAY_ADMIN_URL", management), "missing");
        assertThat(untrusted.exit()).isEqualTo(2);
        assertThat(untrusted.err()).contains("set RELAY_ADMIN_CA");
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsStartUpNamingItsKey() {
        try (RelayProcess bad = RelayProcess.launch(Map.of(
                "relay.backends", "a", "relay.backend.a.url", plain.url(),
                "relay.http.tls.cert", certs.serverCert().toString(),
                "relay.http.tls.key", certs.otherServerKey().toString()), List.of())) {
            assertThat(bad.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bad.log()).contains("configuration error: relay.http.tls.key: ")
                    .contains("is not the private key of the certificate");
        }
    }

    @Test
    void noKeyOrPasswordReachesTheLogOrStatus() throws Exception {
        String key = java.nio.file.Files.readString(certs.serverKey()).lines()
                .filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        for (RelayProcess relay : List.of(both, only)) {
            assertThat(relay.log()).doesNotContain(KEYSTORE_PASSWORD).doesNotContain(key);
            String status = send(get(https(relay) + "/status")).body();
            assertThat(status).doesNotContain(KEYSTORE_PASSWORD).doesNotContain(key);
        }
    }
}
