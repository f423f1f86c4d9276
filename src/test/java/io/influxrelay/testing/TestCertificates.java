package io.influxrelay.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made at test time with the openssl CLI, the way README's TLS section tells a user to:
 * a test CA, a server certificate it signs for 127.0.0.1 and localhost (subjectAltName), and a second,
 * unrelated CA (a "wrong CA") with a server certificate of its own. PEM files in a temp dir, plus a
 * PKCS#12 key store of the server's key on request.
 */
public final class TestCertificates implements AutoCloseable {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create() {
        try {
            TestCertificates certs = new TestCertificates(Files.createTempDirectory("relay-tls-"));
            certs.makeCa("ca", "relay test CA");
            certs.makeServer("server", "ca");
            certs.makeCa("other-ca", "an unrelated CA");
            certs.makeServer("other-server", "other-ca");
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test CA's certificate (PEM): what clients and relay.backend.NAME.tls.ca trust. */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** A certificate for 127.0.0.1 and localhost signed by {@link #ca()}, and its PKCS#8 key. */
    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** A second CA that signed nothing the relay is given: trusting it is trusting the wrong CA. */
    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    /** A server certificate for 127.0.0.1 signed by {@link #otherCa()}, and its key. */
    public Path otherServerCert() {
        return dir.resolve("other-server.pem");
    }

    public Path otherServerKey() {
        return dir.resolve("other-server.key");
    }

    /** The server's key and certificate chain in a PKCS#12 file with this password. */
    public Path serverKeystore(String password) {
        Path p12 = dir.resolve("server.p12");
        openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-certfile", "ca.pem",
                "-name", "relay", "-out", p12.getFileName().toString(), "-passout", "pass:" + password);
        return p12;
    }

    /** A client SSLContext that trusts only the given CA (PEM). */
    public static SSLContext trusting(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void makeCa(String name, String commonName) throws IOException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
                "-keyout", name + ".key", "-out", name + ".pem",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void makeServer(String name, String ca) throws IOException {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"),
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        TempDirs.delete(dir);
    }
}
