package io.influxrelay.config;

import java.net.URI;
import java.time.Duration;

/**
 * One InfluxDB server the relay writes every point to.
 *
 * @param url           base URL, without user info: safe to print
 * @param authorization the Basic authorization given as user info in the configured URL; null when none.
 *                      A secret: never printed
 * @param timeout       per attempt (connect, then the answer)
 * @param bufferBytes   size of its retry buffer; 0: no buffer, a write it misses is lost for it
 * @param maxBatchBytes largest request the buffer replays at once
 * @param maxDelay      the longest wait between replay attempts (the back-off starts at 500 ms, doubling)
 * @param udpTarget     where this backend takes UDP-received lines as datagrams; null: over HTTP like the rest
 * @param udpMtu        largest datagram sent to {@code udpTarget}
 * @param disk          where its retry buffer lives when on disk; null: in memory (bounded by bufferBytes)
 * @param tls           how an https:// backend's certificate is checked (ignored for http://)
 */
public record BackendConfig(String name, URI url, String authorization, Duration timeout, long bufferBytes, long maxBatchBytes,
                            Duration maxDelay, java.net.InetSocketAddress udpTarget, int udpMtu, DiskBufferConfig disk,
                            BackendTlsConfig tls) {

    public BackendConfig(String name, URI url, String authorization, Duration timeout, long bufferBytes, long maxBatchBytes,
                         Duration maxDelay, java.net.InetSocketAddress udpTarget, int udpMtu, DiskBufferConfig disk) {
        this(name, url, authorization, timeout, bufferBytes, maxBatchBytes, maxDelay, udpTarget, udpMtu, disk, BackendTlsConfig.SYSTEM);
    }

    public BackendConfig(String name, URI url, String authorization, Duration timeout, long bufferBytes, long maxBatchBytes,
                         Duration maxDelay, java.net.InetSocketAddress udpTarget, int udpMtu) {
        this(name, url, authorization, timeout, bufferBytes, maxBatchBytes, maxDelay, udpTarget, udpMtu, null);
    }

    /** The backend is reached over TLS. */
    public boolean https() {
        return "https".equals(url.getScheme());
    }

    @Override
    public String toString() { // the authorization stays out of logs
        return "BackendConfig[name=" + name + ", url=" + url + "]";
    }

    /** An InfluxDB endpoint behind {@link #url()}, e.g. "/ping". */
    public String endpoint(String path) {
        String base = url.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
