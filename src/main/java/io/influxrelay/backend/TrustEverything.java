package io.influxrelay.backend;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;

/**
 * relay.backend.NAME.tls.insecure=true: any certificate, any name. An <em>extended</em> trust manager,
 * unlike Camel's TrustAllTrustManager: the JDK wraps a plain one and still checks the host name
 * (java.net.http always asks for it), which would refuse the self-signed certificate of an IP-addressed
 * backend this key exists for.
 */
final class TrustEverything extends X509ExtendedTrustManager {
    static final TrustEverything INSTANCE = new TrustEverything();

    private TrustEverything() {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // insecure by configuration, warned about at start
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // insecure by configuration, warned about at start
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // insecure by configuration, warned about at start
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("a client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("a client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("a client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
