package io.influxrelay.http;

import java.time.Duration;

/**
 * The bounds of the client listener. The request line and headers may each be up to 1 MiB, as Go's
 * server (so InfluxDB) allows: a long GET query or a large token must pass the relay as it passes
 * InfluxDB.
 *
 * @param maxBodyBytes   relay.http.max-body-mb, in bytes (413 beyond)
 * @param readTimeout    relay.http.read-timeout: first to last byte of a request
 * @param idleTimeout    relay.http.idle-timeout: a keep-alive connection without a request
 * @param maxConnections relay.http.max-connections: open client connections
 */
public record ListenerLimits(int maxBodyBytes, Duration readTimeout, Duration idleTimeout, int maxConnections) {
    static final int MAX_REQUEST_LINE = 1 << 20;
    static final int MAX_HEADERS = 1 << 20;
}
