package io.influxrelay.config;

import io.influxrelay.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** relay.http.tls.*, relay.management.tls.*, relay.backend.NAME.tls.*: read at start, a bad value names its key. */
class TlsConfigTest {
    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.create();
    }

    @AfterAll
    static void removeCertificates() {
        certs.close();
    }

    private static RelayConfig load(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return RelayConfig.from(ConfigSource.of(m));
    }

    @Test
    void withoutKeysEverythingIsPlainHttp() {
        RelayConfig c = load();
        assertThat(c.httpTls()).isNull();
        assertThat(c.managementTls()).isNull();
        assertThat(c.backends()).allSatisfy(b -> assertThat(b.tls()).isEqualTo(BackendTlsConfig.SYSTEM));
        assertThat(c.placeholders()).containsEntry("camel.management.useGlobalSslContextParameters", "false");
    }

    @Test
    void aPemCertificateAndKeyTurnHttpsOn() throws Exception {
        RelayConfig c = load("relay.http.tls.cert", certs.serverCert().toString(), "relay.http.tls.key", certs.serverKey().toString());
        assertThat(c.httpTls()).isNotNull();
        assertThat(c.httpTls().only()).isFalse();
        assertThat(c.httpTls().keyStore().isKeyEntry("relay")).isTrue();
        // Camel makes the SSLContext from it
        assertThat(c.httpTls().parameters().createSSLContext(null).getProtocol()).startsWith("TLS");
        assertThat(load("relay.http.tls.cert", certs.serverCert().toString(), "relay.http.tls.key", certs.serverKey().toString(),
                "relay.http.tls.only", "true").httpTls().only()).isTrue();
    }

    @Test
    void aPkcs12KeyStoreIsTheOtherWay() {
        Path p12 = certs.serverKeystore("s3cret-pass");
        RelayConfig c = load("relay.http.tls.keystore", p12.toString(), "relay.http.tls.keystore-password", "s3cret-pass");
        assertThat(c.httpTls()).isNotNull();
        assertThat(c.httpTls().toString()).doesNotContain("s3cret-pass");
        assertThatThrownBy(() -> load("relay.http.tls.keystore", p12.toString(), "relay.http.tls.keystore-password", "not-the-pass-42"))
                .hasMessageStartingWith("relay.http.tls.keystore-password:").hasMessageNotContaining("not-the-pass-42");
    }

    @Test
    void aKeyWithoutItsCertificateOrTheReverseStopsStartUp() {
        assertThatThrownBy(() -> load("relay.http.tls.key", certs.serverKey().toString()))
                .hasMessageStartingWith("relay.http.tls.cert: missing");
        assertThatThrownBy(() -> load("relay.http.tls.cert", certs.serverCert().toString()))
                .hasMessageStartingWith("relay.http.tls.key: missing");
        assertThatThrownBy(() -> load("relay.http.tls.only", "true"))
                .hasMessageStartingWith("relay.http.tls.only: true, but no certificate");
        assertThatThrownBy(() -> load("relay.http.tls.keystore", certs.serverKeystore("x").toString(),
                "relay.http.tls.cert", certs.serverCert().toString(), "relay.http.tls.key", certs.serverKey().toString()))
                .hasMessageStartingWith("relay.http.tls.keystore: give either");
    }

    @Test
    void missingUnreadableOrMismatchedFilesNameTheirKey() throws Exception {
        assertThatThrownBy(() -> load("relay.http.tls.cert", "/nonexistent/server.pem", "relay.http.tls.key", certs.serverKey().toString()))
                .hasMessageStartingWith("relay.http.tls.cert: no file at /nonexistent/server.pem");
        // a certificate where the key should be, and the reverse
        assertThatThrownBy(() -> load("relay.http.tls.cert", certs.serverCert().toString(), "relay.http.tls.key", certs.serverCert().toString()))
                .hasMessageStartingWith("relay.http.tls.key:").hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> load("relay.http.tls.cert", certs.serverKey().toString(), "relay.http.tls.key", certs.serverKey().toString()))
                .hasMessageStartingWith("relay.http.tls.cert:").hasMessageContaining("no readable PEM certificate");
        // the key of another certificate
        assertThatThrownBy(() -> load("relay.http.tls.cert", certs.serverCert().toString(), "relay.http.tls.key", certs.otherServerKey().toString()))
                .hasMessageStartingWith("relay.http.tls.key:").hasMessageContaining("is not the private key of the certificate");
        // an old-style (PKCS#1) key: how to convert it, and none of its content
        Path rsa = Files.createTempFile("rsa-", ".key");
        try {
            String key = Files.readString(certs.serverKey());
            Files.writeString(rsa, key.replace("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY").replace("END PRIVATE KEY", "END RSA PRIVATE KEY"));
            String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
            assertThatThrownBy(() -> load("relay.http.tls.cert", certs.serverCert().toString(), "relay.http.tls.key", rsa.toString()))
                    .hasMessageStartingWith("relay.http.tls.key:").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                    .hasMessageNotContaining(body);
        } finally {
            Files.delete(rsa);
        }
    }

    @Test
    void theManagementPortServesHttpsOnlyOnceItHasACertificate() {
        RelayConfig c = load("relay.management.tls.cert", certs.serverCert().toString(),
                "relay.management.tls.key", certs.serverKey().toString());
        assertThat(c.managementTls().only()).isTrue();
        assertThat(c.placeholders()).containsEntry("camel.management.useGlobalSslContextParameters", "true");
        assertThatThrownBy(() -> load("relay.management.tls.cert", certs.serverCert().toString(),
                "relay.management.tls.key", certs.serverKey().toString(), "relay.management.tls.only", "false"))
                .hasMessageStartingWith("relay.management.tls.only: false is not possible");
        assertThatThrownBy(() -> load("relay.management.tls.key", certs.serverKey().toString()))
                .hasMessageStartingWith("relay.management.tls.cert: missing");
    }

    @Test
    void anHttpsBackendTrustsTheSystemItsOwnCaOrNothing() {
        RelayConfig c = load("relay.backends", "a,b,c", "relay.backend.a.url", "https://127.0.0.1:8086",
                "relay.backend.b.url", "https://127.0.0.1:8087", "relay.backend.b.tls.ca", certs.ca().toString(),
                "relay.backend.c.url", "https://127.0.0.1:8088", "relay.backend.c.tls.insecure", "true");
        assertThat(c.backends().get(0).tls()).isEqualTo(BackendTlsConfig.SYSTEM);
        assertThat(c.backends().get(0).https()).isTrue();
        assertThat(c.backends().get(1).tls().ca()).isNotNull();
        assertThat(c.backends().get(2).tls().insecure()).isTrue();
    }

    @Test
    void backendTlsKeysAreChecked() {
        assertThatThrownBy(() -> load("relay.backends", "a", "relay.backend.a.url", "http://127.0.0.1:8086",
                "relay.backend.a.tls.ca", certs.ca().toString()))
                .hasMessageStartingWith("relay.backend.a.tls.ca:").hasMessageContaining("need an https:// URL");
        assertThatThrownBy(() -> load("relay.backends", "a", "relay.backend.a.url", "https://127.0.0.1:8086",
                "relay.backend.a.tls.ca", "/nonexistent/ca.pem"))
                .hasMessageStartingWith("relay.backend.a.tls.ca: no file at");
        assertThatThrownBy(() -> load("relay.backends", "a", "relay.backend.a.url", "https://127.0.0.1:8086",
                "relay.backend.a.tls.ca", certs.ca().toString(), "relay.backend.a.tls.insecure", "true"))
                .hasMessageStartingWith("relay.backend.a.tls.insecure:");
        assertThatThrownBy(() -> load("relay.backends", "a", "relay.backend.a.url", "https://127.0.0.1:8086",
                "relay.backend.a.tls.insecure", "yes"))
                .hasMessageStartingWith("relay.backend.a.tls.insecure: 'yes' is not true or false");
    }
}
