package io.influxrelay.backend;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.BackendTlsConfig;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TLS toward an https:// backend, the same for every client the relay has toward it (camel-http's
 * writes and replays, reads and statements, /ping, the recovery engine): an SSLContext made by Camel's
 * {@link SSLContextParameters} from the backend's {@link BackendTlsConfig}, the name in the certificate
 * checked unless insecure. Also the one place that says in words why a handshake failed.
 */
public final class BackendTls {
    private static final Logger LOG = LoggerFactory.getLogger(BackendTls.class);

    private BackendTls() {
    }

    /** The backend's SSLContext: the system's CAs, its own (tls.ca), or none checked (tls.insecure). */
    public static SSLContext context(BackendConfig backend) {
        BackendTlsConfig tls = backend.tls();
        SSLContextParameters parameters = new SSLContextParameters();
        if (tls.ca() != null) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setKeyStore(tls.ca());
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            parameters.setTrustManagers(trust);
        } else if (tls.insecure()) {
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setTrustManager(TrustEverything.INSTANCE);
            parameters.setTrustManagers(trust);
        }
        try {
            return parameters.createSSLContext(null);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("backend " + backend.name() + ": cannot make its TLS context", e);
        }
    }

    /** HttpClient 5's TLS for one backend's own connection pool (the system's for an http:// backend: never used). */
    public static TlsSocketStrategy strategy(BackendConfig backend) {
        if (!backend.https()) {
            return DefaultClientTlsStrategy.createSystemDefault();
        }
        SSLContext context = context(backend);
        return backend.tls().insecure()
                ? new DefaultClientTlsStrategy(context, HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE)
                : new DefaultClientTlsStrategy(context);
    }

    /**
     * HttpClient 5's TLS for a pool shared by every backend (the recovery engine's): each https backend's
     * own, chosen by the host and port connected to; any other host gets the system's.
     */
    public static TlsSocketStrategy strategy(List<BackendConfig> backends) {
        Map<String, TlsSocketStrategy> byAddress = new HashMap<>();
        for (BackendConfig backend : backends) {
            if (backend.https()) {
                byAddress.putIfAbsent(address(backend.url().getHost(), port(backend.url())), strategy(backend));
            }
        }
        TlsSocketStrategy system = DefaultClientTlsStrategy.createSystemDefault();
        return (socket, target, port, attachment, context) ->
                byAddress.getOrDefault(address(target, port), system).upgrade(socket, target, port, attachment, context);
    }

    /** A JDK HttpClient builder set up for the backend (its SSLContext when https). */
    public static java.net.http.HttpClient.Builder javaClient(BackendConfig backend) {
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder();
        return backend.https() ? builder.sslContext(context(backend)) : builder;
    }

    /** One warning per insecure backend at start: its writes may go to whoever answers at that address. */
    public static void warnInsecure(List<BackendConfig> backends) {
        for (BackendConfig backend : backends) {
            if (backend.https() && backend.tls().insecure()) {
                LOG.warn("backend {} ({}): relay.backend.{}.tls.insecure=true, its certificate is NOT checked:"
                        + " anyone on the path can read and answer its writes", backend.name(), backend.url(), backend.name());
            }
        }
    }

    /**
     * Why a handshake with the backend failed, in words that name the key to set; null when the
     * failure was not TLS.
     */
    public static String explain(String backend, Throwable e) {
        SSLException tls = null;
        boolean untrusted = false;
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException s && tls == null) {
                tls = s;
            }
            if (t instanceof CertPathValidatorException || (t instanceof CertificateException
                    && String.valueOf(t.getMessage()).contains("PKIX"))
                    || t.getClass().getSimpleName().equals("SunCertPathBuilderException")) {
                untrusted = true;
            }
            if (t instanceof SSLPeerUnverifiedException || (t instanceof CertificateException
                    && String.valueOf(t.getMessage()).startsWith("No subject alternative"))) {
                reason = "TLS certificate does not name this host (" + t.getMessage() + "): use the name the certificate"
                        + " holds in relay.backend." + backend + ".url, or relay.backend." + backend + ".tls.insecure=true";
            }
        }
        if (tls == null) {
            return null;
        }
        if (untrusted) {
            return "TLS certificate not trusted (PKIX path building failed): set relay.backend." + backend
                    + ".tls.ca to the CA that signed it";
        }
        return reason != null ? reason : "TLS handshake failed: " + tls.getClass().getSimpleName() + ": " + tls.getMessage();
    }

    private static int port(java.net.URI url) {
        return url.getPort() > 0 ? url.getPort() : 443;
    }

    private static String address(String host, int port) {
        return host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }
}
